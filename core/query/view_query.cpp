#include "core/query/view_query.h"

#include "core/base/error.h"
#include "core/catalogue/tree_package.h"

namespace chantal {
namespace {

class ViewReader {
public:
    explicit ViewReader(Database& database)
        : members_(database.prepare(
              "SELECT m.position, r.repo_id, r.last_sync_at, "
              "(SELECT count(*) FROM repository_contents t WHERE t.repository_id = r.id AND t.role = 'package'), "
              "(SELECT coalesce(sum(c.size), 0) FROM repository_contents t JOIN content_items c ON c.id = t.content_id "
              " WHERE t.repository_id = r.id AND t.role = 'package') "
              "FROM view_members m JOIN repositories r ON r.id = m.repository_id WHERE m.view_id = ?1 ORDER BY m.position")),
          snapshots_(database.prepare("SELECT name FROM view_snapshots WHERE view_id = ?1 ORDER BY created_at, id")) {}

    ViewInfo read(const Statement& row) {
        ViewInfo info;
        const std::int64_t view_row = row.column_int64(0);
        info.name = row.column_text(1);
        info.description = row.column_text(2);
        info.configured = row.column_int(3) != 0;
        info.created_at = row.column_int64(4);
        members_.reset();
        members_.bind(1, view_row);
        while (members_.step())
            info.members.push_back({members_.column_int64(0), members_.column_text(1), members_.column_optional_int64(2),
                                    members_.column_int64(3), static_cast<std::uint64_t>(members_.column_int64(4))});
        members_.reset();
        snapshots_.reset();
        snapshots_.bind(1, view_row);
        while (snapshots_.step()) info.snapshots.push_back(snapshots_.column_text(0));
        snapshots_.reset();
        return info;
    }

private:
    Statement members_;
    Statement snapshots_;
};

constexpr const char* kViewSelect = "SELECT id, name, description, configured, created_at FROM views ";

}  // namespace

std::vector<ViewInfo> list_views(Database& database) {
    Statement rows = database.prepare(std::string(kViewSelect) + "ORDER BY name");
    ViewReader reader(database);
    std::vector<ViewInfo> views;
    while (rows.step()) views.push_back(reader.read(rows));
    return views;
}

ViewInfo show_view(Database& database, const std::string& name) {
    const TreeAddress tree = TreeAddress::view_latest(name);
    const TreeRows rows = locate_tree(database, tree);
    Statement row = database.prepare(std::string(kViewSelect) + "WHERE id = ?1");
    row.bind(1, rows.owner_row).step();
    ViewInfo info = ViewReader(database).read(row);
    for_each_view_package(
        database, tree,
        [&](const TreePackage& package) {
            ++info.package_count;
            info.package_bytes += package.size;
        },
        &info.conflicts);
    return info;
}

}  // namespace chantal
