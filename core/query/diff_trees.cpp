#include "core/query/diff_trees.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

// (name, arch) of packages, as "name\narch" ("\n" is in no RPM or Debian name).
struct PackageNames {
    std::set<std::string, std::less<>> names;
    std::set<std::string, std::less<>> names_and_arches;

    void add(std::string_view name, std::string_view arch) {
        names.emplace(name);
        names_and_arches.insert(std::string(name) + '\n' + std::string(arch));
    }
    bool contains(std::string_view name, std::string_view arch) const {
        return names.find(name) != names.end() &&
               names_and_arches.find(std::string(name) + '\n' + std::string(arch)) != names_and_arches.end();
    }
};

// The (name, arch) of every package row that one repository tree has and
// the other lacks (compared as (package, content) multisets, narrow rows
// only). Packages of any other (name, arch) are the same on both sides.
PackageNames differing_names(Database& database, const TreeAddress& from, const TreeAddress& to) {
    auto from_members = tree_package_members(database, from);
    auto to_members = tree_package_members(database, to);
    std::sort(from_members.begin(), from_members.end());
    std::sort(to_members.begin(), to_members.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> differing;
    std::set_symmetric_difference(from_members.begin(), from_members.end(), to_members.begin(), to_members.end(),
                                  std::back_inserter(differing));
    PackageNames names;
    Statement name = database.prepare("SELECT name, arch FROM packages WHERE id = ?1");
    for (const auto& [package_id, content_id] : differing) {
        name.bind(1, package_id);
        if (name.step()) names.add(name.column_text_view(0), name.column_text_view(1));
        name.reset();
    }
    return names;
}

// Two repository trees: only the packages whose (name, arch) differs are
// read and compared; every other package row counts as unchanged. Gives
// what diff_package_sets() of the whole trees gives.
TreeDiff diff_repository_trees(Database& database, const TreeAddress& from, const TreeAddress& to) {
    const auto names = differing_names(database, from, to);
    const auto wanted = [&](std::string_view name, std::string_view arch) { return names.contains(name, arch); };
    std::size_t same_in_from = 0;
    std::size_t same_in_to = 0;
    auto from_packages = list_tree_packages_if(database, from, wanted, same_in_from);
    auto to_packages = list_tree_packages_if(database, to, wanted, same_in_to);
    TreeDiff diff = diff_package_sets(std::move(from_packages), std::move(to_packages));
    diff.unchanged += same_in_from;
    return diff;
}

}  // namespace

TreeDiff diff_trees(Database& database, const TreeAddress& from, const TreeAddress& to) {
    // One catalogue state for every read: `latest` may move meanwhile.
    ReadTransaction transaction(database);
    TreeDiff diff = from.is_view() || to.is_view()
                        ? diff_package_sets(list_tree_packages(database, from), list_tree_packages(database, to))
                        : diff_repository_trees(database, from, to);
    diff.advisories = added_advisories(database, from, to);
    return diff;
}

}  // namespace chantal
