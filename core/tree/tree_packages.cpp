#include "core/tree/tree_packages.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/tree/view_packages.h"

namespace chantal {
namespace {

// The membership table of a repository tree (latest or snapshot) and the
// column naming its owner row (located_owner()).
struct MembershipTable {
    const char* table;
    const char* owner_column;
};
MembershipTable membership_table(const TreeAddress& tree) {
    return tree.kind == TreeKind::repo_latest ? MembershipTable{"repository_contents", "repository_id"}
                                              : MembershipTable{"snapshot_contents", "snapshot_id"};
}

std::int64_t located_owner(Database& database, const TreeAddress& tree) {
    const TreeRows located = locate_tree(database, tree);
    return tree.is_latest() ? located.owner_row : located.snapshot_row;
}

// Calls visit(row) for each package row of a repository tree, the columns
// being kTreePackageColumns.
template <typename Visit>
void for_each_repository_tree_package(Database& database, const TreeAddress& tree, Visit visit) {
    const std::int64_t owner = located_owner(database, tree);
    const MembershipTable membership = membership_table(tree);
    std::string query = "SELECT " + std::string(kTreePackageColumns) + " FROM " + membership.table + " t ";
    query += tree.kind == TreeKind::repo_latest
                 ? "JOIN repositories r ON r.id = t.repository_id "
                 : "JOIN snapshots s ON s.id = t.snapshot_id JOIN repositories r ON r.id = s.repository_id ";
    query += "JOIN content_items c ON c.id = t.content_id JOIN packages p ON p.id = t.package_id WHERE t.role = 'package' "
             "AND t." + std::string(membership.owner_column) + " = ?1";
    Statement rows = database.prepare(query);
    rows.bind(1, owner);
    while (rows.step()) visit(rows);
}

void sort_tree_packages(std::vector<TreePackage>& packages) {
    std::sort(packages.begin(), packages.end(), [](const TreePackage& left, const TreePackage& right) {
        if (package_less(left, right)) return true;
        if (package_less(right, left)) return false;
        return left.path < right.path;
    });
}

}  // namespace

std::vector<TreePackage> list_tree_packages(Database& database, const TreeAddress& tree) {
    std::vector<TreePackage> packages;
    if (tree.is_view()) {
        packages = view_packages(database, tree);
    } else {
        for_each_repository_tree_package(database, tree,
                                         [&](const Statement& row) { packages.push_back(read_tree_package(row)); });
    }
    sort_tree_packages(packages);
    return packages;
}

std::vector<std::pair<std::int64_t, std::int64_t>> tree_package_members(Database& database, const TreeAddress& tree) {
    if (tree.is_view()) throw Error::internal("tree_package_members: " + tree.path() + " is a view");
    const MembershipTable membership = membership_table(tree);
    Statement rows = database.prepare(std::string("SELECT t.package_id, t.content_id FROM ") + membership.table +
                                      " t WHERE t." + membership.owner_column + " = ?1 AND t.role = 'package'");
    rows.bind(1, located_owner(database, tree));
    std::vector<std::pair<std::int64_t, std::int64_t>> members;
    while (rows.step()) members.emplace_back(rows.column_int64(0), rows.column_int64(1));
    return members;
}

std::vector<TreePackage> list_tree_packages_if(Database& database, const TreeAddress& tree,
                                               const std::function<bool(std::string_view name, std::string_view arch)>& wanted,
                                               std::size_t& skipped) {
    if (tree.is_view()) throw Error::internal("list_tree_packages_if: " + tree.path() + " is a view");
    constexpr int kNameColumn = 2;  // in kTreePackageColumns
    constexpr int kArchColumn = 6;
    std::vector<TreePackage> packages;
    skipped = 0;
    for_each_repository_tree_package(database, tree, [&](const Statement& row) {
        if (wanted(row.column_text_view(kNameColumn), row.column_text_view(kArchColumn)))
            packages.push_back(read_tree_package(row));
        else
            ++skipped;
    });
    sort_tree_packages(packages);
    return packages;
}

}  // namespace chantal
