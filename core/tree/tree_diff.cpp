#include "core/tree/tree_diff.h"

#include <algorithm>
#include <span>

#include "core/tree/tree_packages.h"

namespace chantal {
namespace {

// Sorted by name, arch, EVR; a group is one (name, arch).
void sort_packages(std::vector<TreePackage>& packages) {
    std::sort(packages.begin(), packages.end(), package_less<TreePackage>);
}

// <0 when left's (name, arch) sorts first.
int compare_key(const TreePackage& left, const TreePackage& right) {
    if (int order = left.name.compare(right.name)) return order;
    return left.arch.compare(right.arch);
}

std::span<const TreePackage> take_group(const std::vector<TreePackage>& packages, std::size_t& position) {
    const std::size_t start = position;
    while (position < packages.size() && compare_key(packages[position], packages[start]) == 0) ++position;
    return {packages.data() + start, position - start};
}

PackageChange change_of(const TreePackage* from, const TreePackage* to) {
    const TreePackage& any = from ? *from : *to;
    return {any.name, any.arch, from ? from->evr() : "", to ? to->evr() : "", from ? from->filename : "",
            to ? to->filename : ""};
}

// Compares one (name, arch) present on both sides. Groups are EVR-sorted.
void diff_group(std::span<const TreePackage> from, std::span<const TreePackage> to, TreeDiff& diff) {
    const TreePackage& newest_from = from.back();
    const TreePackage& newest_to = to.back();
    const int newest_order = compare_package_versions(newest_from, newest_to);
    if (newest_order < 0) diff.upgraded.push_back(change_of(&newest_from, &newest_to));
    if (newest_order > 0) diff.downgraded.push_back(change_of(&newest_from, &newest_to));
    const bool newest_reported = newest_order != 0;

    // Merge the two EVR-sorted lists.
    std::size_t i = 0, j = 0;
    while (i < from.size() || j < to.size()) {
        const int order = i == from.size() ? 1 : j == to.size() ? -1 : compare_package_versions(from[i], to[j]);
        if (order == 0) {
            if (from[i].sha256 != to[j].sha256)
                diff.changed.push_back(change_of(&from[i], &to[j]));
            else
                ++diff.unchanged;
            ++i, ++j;
        } else if (order < 0) {
            if (!(newest_reported && &from[i] == &newest_from)) diff.removed.push_back(change_of(&from[i], nullptr));
            ++i;
        } else {
            if (!(newest_reported && &to[j] == &newest_to)) diff.added.push_back(change_of(nullptr, &to[j]));
            ++j;
        }
    }
}

}  // namespace

TreeDiff diff_package_sets(std::vector<TreePackage> from, std::vector<TreePackage> to) {
    sort_packages(from);
    sort_packages(to);
    TreeDiff diff;
    std::size_t i = 0, j = 0;
    while (i < from.size() || j < to.size()) {
        const int order = i == from.size() ? 1 : j == to.size() ? -1 : compare_key(from[i], to[j]);
        if (order < 0) {
            for (const auto& package : take_group(from, i)) diff.removed.push_back(change_of(&package, nullptr));
        } else if (order > 0) {
            for (const auto& package : take_group(to, j)) diff.added.push_back(change_of(nullptr, &package));
        } else {
            auto from_group = take_group(from, i);
            auto to_group = take_group(to, j);
            diff_group(from_group, to_group, diff);
        }
    }
    return diff;
}

}  // namespace chantal
