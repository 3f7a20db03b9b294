#include "core/query/diff_trees.h"

#include <map>

#include "core/base/error.h"
#include "core/tree/errata_query.h"
#include "core/tree/tree.h"
#include "core/tree/tree_packages.h"

namespace chantal {
namespace {

std::vector<TreeAdvisory> advisories_of(Database& database, const TreeAddress& tree) {
    auto state = resolve_tree(database, tree);
    if (!state) return {};
    return tree_advisories(database, *open_tree_contents(database, *state));
}

// Advisories the `to` side brings: new ids, and revisions newer than `from`'s.
std::vector<AdvisoryChange> added_advisories(Database& database, const TreeAddress& from, const TreeAddress& to) {
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

TreeDiff diff_trees(Database& database, const TreeAddress& from, const TreeAddress& to) {
    TreeDiff diff = diff_package_sets(list_tree_packages(database, from), list_tree_packages(database, to));
    diff.advisories = added_advisories(database, from, to);
    return diff;
}

}  // namespace chantal
