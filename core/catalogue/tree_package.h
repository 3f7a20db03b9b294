// What a package looks like inside a tree (TreeAddress names the tree):
// one package file of a tree with what listing, diffing, the FUSE tree and
// export need, and how to read it from the catalogue.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_address.h"

namespace chantal {

struct TreePackage {
    std::int64_t package_id = 0;
    std::int64_t content_id = 0;
    std::string format;     // the package's format ("rpm"): its version order
    std::string name;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    std::string arch;
    std::string sha256;     // of the file (pool content)
    std::string filename;   // pool file name (the RPM file name)
    std::uint64_t size = 0; // bytes of the file
    std::string path;       // path in the tree: upstream href in a repo, Packages/x/<file> in a view
    std::string repo_id;    // the repository that provides it (a view's member)

    std::string evr() const;    // "[E:]V-R", epoch shown only when non-zero
    std::string nevra() const;  // "name-[E:]V-R.arch"
};

// The SQL select list read_tree_package() expects, over the aliases
// t (repository_contents or snapshot_contents), p (packages),
// c (content_items) and r (repositories).
inline constexpr std::string_view kTreePackageColumns =
    "t.package_id, t.content_id, p.name, p.epoch, p.version, p.release, p.arch, c.sha256, c.filename, c.size, "
    "t.path, r.repo_id, p.format";
inline constexpr int kTreePackageColumnCount = 13;
// Reads the kTreePackageColumns of the current row, starting at first_column.
TreePackage read_tree_package(const Statement& row, int first_column = 0);

// "[E:]V-R" for the given fields; "[E:]V" when release is empty (a Debian
// version without revision).
std::string format_evr(std::uint64_t epoch, std::string_view version, std::string_view release);

}  // namespace chantal
