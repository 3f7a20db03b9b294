// The advisories of a tree (design.md §2): those of the updateinfo
// files among the tree's sources (a repo's own, or every member's for a
// view) that name at least one package of the tree. The same advisory id
// from two sources (or two revisions) is merged deterministically: the
// newest `updated` (then `issued`) wins, package lists are united.
//
// Used by `errata list`, by `snapshot diff` and by generated trees'
// updateinfo, so all three agree. Thread safety: as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/tree/tree.h"

namespace chantal {

struct AdvisoryPackageRef {
    std::string name;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    std::string arch;
    std::string filename;
    std::string key() const;  // "name|epoch|version|release|arch"
    bool operator==(const AdvisoryPackageRef&) const = default;
};

struct AdvisoryReferenceRow {
    std::string type;  // cve, bugzilla, self, ...
    std::string id;
    std::string href;
    std::string title;
};

struct TreeAdvisory {
    std::int64_t row = 0;  // the winning revision (advisories.id)
    std::string id;
    std::string type;
    std::string severity;
    std::string status;
    std::string issued;
    std::string updated;
    std::string title;
    std::vector<std::string> cves;
    std::vector<AdvisoryPackageRef> packages;  // united over revisions and sources
    std::vector<AdvisoryPackageRef> in_tree;   // those the tree holds
};

struct AdvisoryDetails {
    TreeAdvisory advisory;
    std::string summary;
    std::string description;
    std::vector<AdvisoryReferenceRow> references;
    std::vector<std::string> repositories;  // repo ids whose latest or snapshots carry it
};

// True when one of the tree's sources carries an updateinfo file.
bool has_updateinfo(Database& database, const TreeContents& contents);

// The NEVRA keys of the tree's packages.
std::vector<std::string> tree_package_keys(Database& database, const TreeContents& contents);

// Advisories of the tree, sorted by id.
std::vector<TreeAdvisory> tree_advisories(Database& database, const TreeContents& contents);
// Same, with the tree's package keys (tree_package_keys) already at hand.
std::vector<TreeAdvisory> tree_advisories(Database& database, const TreeContents& contents,
                                          const std::unordered_set<std::string>& package_keys);

// The stored <update> element of an advisory revision.
std::string advisory_update_xml(Database& database, std::int64_t advisory_row);

// The newest revision of an advisory anywhere in the catalogue.
std::optional<AdvisoryDetails> find_advisory(Database& database, const std::string& advisory_id);

// The distinct non-empty types and severities of every catalogued advisory,
// lowercased: the values `errata list --type/--severity` can match.
struct AdvisoryVocabulary {
    std::set<std::string> types;
    std::set<std::string> severities;
};
AdvisoryVocabulary advisory_vocabulary(Database& database);

}  // namespace chantal
