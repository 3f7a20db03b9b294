// The packages of one tree (repository or view, latest or snapshot), in
// package order. Reads only; throws chantal::Error. Thread safety: as Database.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_package.h"
#include "core/tree/package_format.h"

namespace chantal {

// Every package of a tree, sorted by name, arch, then version (the format's
// order, package_less), then path. For view trees this is the effective set (view_packages.h).
// Throws Error::not_found when the tree does not exist (locate_tree).
std::vector<TreePackage> list_tree_packages(Database& database, const TreeAddress& tree);

// What each package row of a repository tree (latest or snapshot; not a
// view) holds, as (package_id, content_id) pairs in no particular order:
// narrow rows only, for comparing two trees before reading their packages.
std::vector<std::pair<std::int64_t, std::int64_t>> tree_package_members(Database& database, const TreeAddress& tree);

// The packages of repository tree `tree` (not a view) whose name and arch
// `wanted` accepts, in list_tree_packages() order; `skipped` is set to the
// number of the others, which are never built.
std::vector<TreePackage> list_tree_packages_if(Database& database, const TreeAddress& tree,
                                               const std::function<bool(std::string_view name, std::string_view arch)>& wanted,
                                               std::size_t& skipped);

// <0, 0, >0 as the left package's version is older than, equal to or newer
// than the right's, in their format's order (packages of different formats
// order by format name). Package has format, epoch, version and release
// members.
template <typename Package>
int compare_package_versions(const Package& left, const Package& right) {
    if (left.format != right.format) return left.format < right.format ? -1 : 1;
    return package_format(left.format)
        .compare_versions({left.epoch, left.version, left.release}, {right.epoch, right.version, right.release});
}

// Package order: name, arch, then version. Package has name, arch, format,
// epoch, version and release members.
template <typename Package>
bool package_less(const Package& left, const Package& right) {
    if (left.name != right.name) return left.name < right.name;
    if (left.arch != right.arch) return left.arch < right.arch;
    return compare_package_versions(left, right) < 0;
}

}  // namespace chantal
