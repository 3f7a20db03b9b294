// The packages of one tree (repository or view, latest or snapshot), in
// package order. Reads only; throws chantal::Error. Thread safety: as Database.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_package.h"

namespace chantal {

// Every package of a tree, sorted by name, arch, then EVR (rpmvercmp order),
// then path. For view trees this is the effective set (view_packages.h).
// Throws Error::not_found when the tree does not exist (locate_tree).
std::vector<TreePackage> list_tree_packages(Database& database, const TreeAddress& tree);

// <0, 0, >0 as the left EVR is older than, equal to or newer than the right
// (epoch numerically, then version and release in rpmvercmp order).
int compare_evr(std::uint64_t left_epoch, std::string_view left_version, std::string_view left_release,
                std::uint64_t right_epoch, std::string_view right_version, std::string_view right_release);

// Package order: name, arch, then EVR. Package has name, arch, epoch,
// version and release members.
template <typename Package>
bool package_less(const Package& left, const Package& right) {
    if (left.name != right.name) return left.name < right.name;
    if (left.arch != right.arch) return left.arch < right.arch;
    return compare_evr(left.epoch, left.version, left.release, right.epoch, right.version, right.release) < 0;
}

}  // namespace chantal
