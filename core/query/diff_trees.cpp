#include "core/query/diff_trees.h"

#include <map>

#include "core/base/error.h"
#include "core/tree/errata_query.h"
#include "core/tree/tree.h"
#include "core/tree/tree_packages.h"

namespace chantal {
namespace {

// The same tree in the tree model's terms (core/tree/tree.h).
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
