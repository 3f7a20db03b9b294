#include "core/tree/view_packages.h"

#include "core/base/error.h"
#include "metadata/rpm/href.h"

namespace chantal {
namespace {

// Member package rows of a view tree, ordered by file name then view order,
// optionally restricted to one file name (?2).
std::string member_rows_sql(const TreeAddress& tree, bool one_filename) {
    std::string sql = "SELECT " + std::string(kTreePackageColumns) + ", m.position FROM ";
    if (tree.kind == TreeKind::view_latest) {
        sql += "view_members m JOIN repositories r ON r.id = m.repository_id "
               "JOIN repository_contents t ON t.repository_id = m.repository_id ";
    } else {
        sql += "view_snapshot_members m JOIN snapshots s ON s.id = m.snapshot_id "
               "JOIN repositories r ON r.id = s.repository_id "
               "JOIN snapshot_contents t ON t.snapshot_id = m.snapshot_id ";
    }
    sql += "JOIN content_items c ON c.id = t.content_id JOIN packages p ON p.id = t.package_id WHERE t.role = 'package' ";
    sql += tree.kind == TreeKind::view_latest ? "AND m.view_id = ?1 " : "AND m.view_snapshot_id = ?1 ";
    if (one_filename) sql += "AND c.filename = ?2 ";
    sql += "ORDER BY c.filename, m.position, t.path";
    return sql;
}

void require_view_tree(const TreeAddress& tree) {
    if (!tree.is_view()) throw Error::invalid_input(tree.describe() + " is not a view tree");
}

// The key of the tree's member rows: views.id or view_snapshots.id.
std::int64_t member_key(Database& database, const TreeAddress& tree) {
    const TreeRows rows = locate_tree(database, tree);
    return tree.is_latest() ? rows.owner_row : rows.snapshot_row;
}

}  // namespace

std::optional<std::string> view_package_path(std::string_view filename) {
    try {
        return metadata::generated_tree_path(filename);
    } catch (const Error&) {
        return std::nullopt;  // not a safe file name: the tree model leaves it out too
    }
}

void for_each_view_package(Database& database, const TreeAddress& tree, const std::function<void(const TreePackage&)>& visit,
                           std::vector<ViewConflict>* conflicts) {
    require_view_tree(tree);
    const std::int64_t key = member_key(database, tree);
    Statement rows = database.prepare(member_rows_sql(tree, false));
    rows.bind(1, key);
    std::optional<TreePackage> current;  // the winner for the current file name
    while (rows.step()) {
        TreePackage package = read_tree_package(rows);
        if (current && current->filename == package.filename) {
            if (conflicts && package.content_id != current->content_id)
                conflicts->push_back({package.filename, current->repo_id, current->sha256, package.repo_id, package.sha256});
            continue;
        }
        auto path = view_package_path(package.filename);
        if (!path) continue;
        if (current) visit(*current);
        package.path = std::move(*path);
        current = std::move(package);
    }
    if (current) visit(*current);
}

std::vector<TreePackage> view_packages(Database& database, const TreeAddress& tree, std::vector<ViewConflict>* conflicts) {
    std::vector<TreePackage> packages;
    for_each_view_package(database, tree, [&](const TreePackage& package) { packages.push_back(package); }, conflicts);
    return packages;
}

std::optional<TreePackage> find_view_package(Database& database, const TreeAddress& tree, std::string_view filename) {
    require_view_tree(tree);
    const std::int64_t key = member_key(database, tree);
    Statement rows = database.prepare(member_rows_sql(tree, true));
    rows.bind(1, key).bind(2, filename);
    auto path = view_package_path(filename);
    if (!path || !rows.step()) return std::nullopt;
    TreePackage package = read_tree_package(rows);
    package.path = std::move(*path);
    return package;
}

}  // namespace chantal
