#include "core/diff_trees.h"

#include <map>

#include "core/errata_query.h"
#include "core/error.h"
#include "core/tree.h"

#include <algorithm>
#include <span>

#include "core/package_query.h"
#include "metadata/evr.h"

namespace chantal {
namespace {

int compare_package_evr(const TreePackage& left, const TreePackage& right) {
    if (left.epoch != right.epoch) return left.epoch < right.epoch ? -1 : 1;
    if (int order = metadata::rpmvercmp(left.version, right.version)) return order;
    return metadata::rpmvercmp(left.release, right.release);
}

// Sorted by name, arch, EVR; a group is one (name, arch).
void sort_packages(std::vector<TreePackage>& packages) {
    std::sort(packages.begin(), packages.end(), [](const TreePackage& left, const TreePackage& right) {
        if (left.name != right.name) return left.name < right.name;
        if (left.arch != right.arch) return left.arch < right.arch;
        return compare_package_evr(left, right) < 0;
    });
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
    const int newest_order = compare_package_evr(newest_from, newest_to);
    if (newest_order < 0) diff.upgraded.push_back(change_of(&newest_from, &newest_to));
    if (newest_order > 0) diff.downgraded.push_back(change_of(&newest_from, &newest_to));
    const bool newest_reported = newest_order != 0;

    // Merge the two EVR-sorted lists.
    std::size_t i = 0, j = 0;
    while (i < from.size() || j < to.size()) {
        const int order = i == from.size() ? 1 : j == to.size() ? -1 : compare_package_evr(from[i], to[j]);
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

namespace {

// The same tree in the tree model's terms (core/tree.h).
TreeAddress tree_address(const TreeRef& tree) {
    switch (tree.kind) {
        case TreeKind::repository_latest: return TreeAddress::repo_latest(tree.owner_name);
        case TreeKind::repository_snapshot: return TreeAddress::repo_snapshot(tree.owner_name, tree.snapshot_name);
        case TreeKind::view_latest: return TreeAddress::view_latest(tree.owner_name);
        case TreeKind::view_snapshot: return TreeAddress::view_snapshot(tree.owner_name, tree.snapshot_name);
    }
    throw Error::internal("unknown tree kind");
}

std::vector<TreeAdvisory> advisories_of(Database& database, const TreeRef& tree) {
    auto state = resolve_tree(database, tree_address(tree));
    if (!state) return {};
    return tree_advisories(database, *open_tree_contents(database, *state));
}

// Advisories the `to` side brings: new ids, and revisions newer than `from`'s.
std::vector<AdvisoryChange> added_advisories(Database& database, const TreeRef& from, const TreeRef& to) {
    std::map<std::string, std::string> before;  // id -> revision date
    for (const auto& advisory : advisories_of(database, from))
        before[advisory.id] = advisory.updated.empty() ? advisory.issued : advisory.updated;
    std::vector<AdvisoryChange> added;
    for (const auto& advisory : advisories_of(database, to)) {
        const std::string date = advisory.updated.empty() ? advisory.issued : advisory.updated;
        auto it = before.find(advisory.id);
        if (it != before.end() && it->second >= date) continue;
        added.push_back({advisory.id, advisory.type, advisory.severity, advisory.title});
    }
    return added;
}

}  // namespace

TreeDiff diff_trees(Database& database, const TreeRef& from, const TreeRef& to) {
    TreeDiff diff = diff_package_sets(list_tree_packages(database, from), list_tree_packages(database, to));
    diff.advisories = added_advisories(database, from, to);
    return diff;
}

}  // namespace chantal
