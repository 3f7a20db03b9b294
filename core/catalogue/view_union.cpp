#include "core/catalogue/view_union.h"

#include "core/base/error.h"
#include "core/catalogue/view_placement.h"

namespace chantal {
namespace {

// The members' package rows, ordered by file name, then view order, then
// path. ?1..?N are the members' keys in view order; ?N+1 the file name.
// The column after kTreePackageColumns is the source package's name.
std::string member_rows_sql(const std::vector<TreeSource>& members, bool one_filename) {
    std::string sql = "WITH m(position, key) AS (VALUES ";
    for (std::size_t i = 0; i < members.size(); ++i)
        sql += (i ? ", (" : "(") + std::to_string(i) + ", ?" + std::to_string(i + 1) + ")";
    sql += ") SELECT " + std::string(kTreePackageColumns) + ", coalesce(p.sourcerpm, '') FROM m ";
    if (members.front().table == TreeSource::Table::repository_contents) {
        sql += "JOIN repository_contents t ON t.repository_id = m.key JOIN repositories r ON r.id = t.repository_id ";
    } else {
        sql += "JOIN snapshot_contents t ON t.snapshot_id = m.key JOIN snapshots s ON s.id = t.snapshot_id "
               "JOIN repositories r ON r.id = s.repository_id ";
    }
    sql += "JOIN content_items c ON c.id = t.content_id JOIN packages p ON p.id = t.package_id WHERE t.role = 'package' ";
    if (one_filename) sql += "AND c.filename = ?" + std::to_string(members.size() + 1) + " ";
    sql += "ORDER BY c.filename, m.position, t.path";
    return sql;
}

}  // namespace

std::optional<std::string> view_package_path(const TreePackage& package, std::string_view source_name) {
    return view_placement(package.format)(package, source_name);
}

std::vector<TreeSource> view_members(Database& database, const TreeAddress& view_tree) {
    if (!view_tree.is_view()) throw Error::invalid_input(view_tree.describe() + " is not a view tree");
    const TreeRows rows = locate_tree(database, view_tree);
    std::vector<TreeSource> members;
    if (view_tree.is_latest()) {
        Statement query = database.prepare(
            "SELECT m.repository_id FROM view_members m JOIN repositories r ON r.id = m.repository_id "
            "WHERE m.view_id = ?1 ORDER BY m.position, r.repo_id");
        query.bind(1, rows.owner_row);
        while (query.step()) members.push_back({TreeSource::Table::repository_contents, query.column_int64(0)});
    } else {
        Statement query = database.prepare(
            "SELECT snapshot_id FROM view_snapshot_members WHERE view_snapshot_id = ?1 ORDER BY position, snapshot_id");
        query.bind(1, rows.snapshot_row);
        while (query.step()) members.push_back({TreeSource::Table::snapshot_contents, query.column_int64(0)});
    }
    return members;
}

void for_each_view_union_package(Database& database, const std::vector<TreeSource>& members,
                                 const std::function<void(const TreePackage&)>& visit,
                                 std::vector<ViewConflict>* conflicts, std::optional<std::string_view> only_filename) {
    if (members.empty()) return;
    for (const auto& member : members)
        if (member.table != members.front().table)
            throw Error::internal("a view tree mixes latest and snapshot members");
    Statement rows = database.prepare(member_rows_sql(members, only_filename.has_value()));
    for (std::size_t i = 0; i < members.size(); ++i) rows.bind(static_cast<int>(i + 1), members[i].key);
    if (only_filename) rows.bind(static_cast<int>(members.size() + 1), *only_filename);
    std::optional<TreePackage> current;  // the winner for the current file name
    while (rows.step()) {
        TreePackage package = read_tree_package(rows);
        if (current && current->filename == package.filename) {
            if (conflicts && package.content_id != current->content_id)
                conflicts->push_back({package.filename, current->repo_id, current->sha256, package.repo_id, package.sha256});
            continue;
        }
        auto path = view_package_path(package, rows.column_text_view(kTreePackageColumnCount));
        if (!path) continue;
        if (current) visit(*current);
        package.path = std::move(*path);
        current = std::move(package);
    }
    if (current) visit(*current);
}

}  // namespace chantal
