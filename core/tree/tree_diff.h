// What changed between two trees (repository or view, latest or snapshot):
// packages added, removed, upgraded and downgraded per (name, arch), with
// old -> new EVR in rpmvercmp order, and packages rebuilt under the same
// NEVRA (different file).
//
// Per (name, arch), with F the packages on the `from` side and T on the `to`
// side (compared by EVR):
//   - only in T: added; only in F: removed;
//   - both sides non-empty and the newest EVR differs: one upgraded (or
//     downgraded) entry newest(F) -> newest(T); other EVRs present on only
//     one side are added/removed;
//   - same EVR on both sides but a different file: changed.
// Every changed package appears in exactly one list. Results are sorted by
// name, arch, EVR.
//
// Pure data in, pure data out; diff_trees (core/query/diff_trees.h) loads
// two stored trees and adds the advisories.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/catalogue/tree_package.h"

namespace chantal {

struct PackageChange {
    std::string name;
    std::string arch;
    std::string from_evr;  // "" for added
    std::string to_evr;    // "" for removed
    std::string from_filename;
    std::string to_filename;
};

// An advisory the newer side brings: an id the older side lacks, or a newer
// revision of one it has (errata_query.h).
struct AdvisoryChange {
    std::string id;        // e.g. RHSA-2025:1234
    std::string type;      // security, bugfix, enhancement
    std::string severity;  // as upstream wrote it; may be empty
    std::string title;
};

struct TreeDiff {
    std::vector<PackageChange> added;
    std::vector<PackageChange> removed;
    std::vector<PackageChange> upgraded;
    std::vector<PackageChange> downgraded;
    std::vector<PackageChange> changed;  // same NEVRA, different file
    std::int64_t unchanged = 0;          // packages identical on both sides
    std::vector<AdvisoryChange> advisories;  // brought by the `to` side (diff_trees only)

    bool empty() const {
        return added.empty() && removed.empty() && upgraded.empty() && downgraded.empty() && changed.empty();
    }
};

TreeDiff diff_package_sets(std::vector<TreePackage> from, std::vector<TreePackage> to);

}  // namespace chantal
