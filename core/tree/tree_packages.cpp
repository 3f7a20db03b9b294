#include "core/tree/tree_packages.h"

#include <algorithm>

#include "core/tree/view_packages.h"

namespace chantal {
namespace {

std::vector<TreePackage> repository_tree_packages(Database& database, const TreeAddress& tree) {
    const TreeRows located = locate_tree(database, tree);
    std::string query = "SELECT " + std::string(kTreePackageColumns) + " FROM ";
    if (tree.kind == TreeKind::repo_latest)
        query += "repository_contents t JOIN repositories r ON r.id = t.repository_id ";
    else
        query += "snapshot_contents t JOIN snapshots s ON s.id = t.snapshot_id JOIN repositories r ON r.id = s.repository_id ";
    query += "JOIN content_items c ON c.id = t.content_id JOIN packages p ON p.id = t.package_id WHERE t.role = 'package' ";
    query += tree.kind == TreeKind::repo_latest ? "AND t.repository_id = ?1" : "AND t.snapshot_id = ?1";
    Statement rows = database.prepare(query);
    rows.bind(1, tree.is_latest() ? located.owner_row : located.snapshot_row);
    std::vector<TreePackage> packages;
    while (rows.step()) packages.push_back(read_tree_package(rows));
    return packages;
}

}  // namespace

std::vector<TreePackage> list_tree_packages(Database& database, const TreeAddress& tree) {
    std::vector<TreePackage> packages = tree.is_view() ? view_packages(database, tree) : repository_tree_packages(database, tree);
    std::sort(packages.begin(), packages.end(), [](const TreePackage& left, const TreePackage& right) {
        if (package_less(left, right)) return true;
        if (package_less(right, left)) return false;
        return left.path < right.path;
    });
    return packages;
}

}  // namespace chantal
