#include "core/query/snapshot_query.h"

#include "core/base/error.h"
#include "core/catalogue/view_union.h"
#include "core/catalogue/tree_package.h"

namespace chantal {
namespace {

constexpr const char* kSnapshotSelect =
    "SELECT s.id, r.repo_id, s.name, s.description, s.created_at, s.generated_tree, s.repomd_sha256 "
    "FROM snapshots s JOIN repositories r ON r.id = s.repository_id ";

SnapshotInfo read_snapshot(const Statement& row) {
    SnapshotInfo info;
    info.snapshot_row = row.column_int64(0);
    info.repo_id = row.column_text(1);
    info.name = row.column_text(2);
    info.description = row.column_text(3);
    info.created_at = row.column_int64(4);
    info.generated_tree = row.column_int(5) != 0;
    info.repomd_sha256 = row.column_optional_text(6);
    return info;
}

// Counts and sizes, and the view snapshots using it. Statements are reused
// across snapshots of a listing.
class SnapshotDetails {
public:
    explicit SnapshotDetails(Database& database)
        : counts_(database.prepare(
              "SELECT coalesce(sum(t.role = 'package'), 0), coalesce(sum(CASE WHEN t.role = 'package' THEN c.size END), 0), "
              "coalesce(sum(t.role = 'metadata'), 0) "
              "FROM snapshot_contents t JOIN content_items c ON c.id = t.content_id WHERE t.snapshot_id = ?1")),
          users_(database.prepare(
              "SELECT v.name, vs.name FROM view_snapshot_members vm JOIN view_snapshots vs ON vs.id = vm.view_snapshot_id "
              "JOIN views v ON v.id = vs.view_id WHERE vm.snapshot_id = ?1 ORDER BY v.name, vs.name")) {}

    void fill(SnapshotInfo& info) {
        counts_.reset();
        counts_.bind(1, info.snapshot_row).step();
        info.package_count = counts_.column_int64(0);
        info.package_bytes = static_cast<std::uint64_t>(counts_.column_int64(1));
        info.metadata_count = counts_.column_int64(2);
        counts_.reset();
        users_.reset();
        users_.bind(1, info.snapshot_row);
        while (users_.step()) info.used_by.push_back({users_.column_text(0), users_.column_text(1)});
        users_.reset();
    }

private:
    Statement counts_;
    Statement users_;
};

constexpr const char* kViewSnapshotSelect =
    "SELECT vs.id, v.name, vs.name, vs.description, vs.created_at FROM view_snapshots vs JOIN views v ON v.id = vs.view_id ";

ViewSnapshotInfo read_view_snapshot(Database& database, const Statement& row, Statement& members,
                                    SnapshotDetails& details) {
    ViewSnapshotInfo info;
    info.view_snapshot_row = row.column_int64(0);
    info.view = row.column_text(1);
    info.name = row.column_text(2);
    info.description = row.column_text(3);
    info.created_at = row.column_int64(4);
    members.reset();
    members.bind(1, info.view_snapshot_row);
    std::vector<TreeSource> sources;
    while (members.step()) {
        SnapshotInfo snapshot = read_snapshot(members);
        details.fill(snapshot);
        sources.push_back({TreeSource::Table::snapshot_contents, snapshot.snapshot_row});
        info.members.push_back({members.column_int64(7), snapshot.repo_id, snapshot.name, snapshot.package_count,
                                snapshot.package_bytes});
    }
    members.reset();
    for_each_view_union_package(database, sources, [&](const TreePackage& package) {
        ++info.package_count;
        info.package_bytes += package.size;
    });
    return info;
}

Statement prepare_members(Database& database) {
    return database.prepare(
        "SELECT s.id, r.repo_id, s.name, s.description, s.created_at, s.generated_tree, s.repomd_sha256, vm.position "
        "FROM view_snapshot_members vm JOIN snapshots s ON s.id = vm.snapshot_id "
        "JOIN repositories r ON r.id = s.repository_id WHERE vm.view_snapshot_id = ?1 ORDER BY vm.position");
}

}  // namespace

std::vector<SnapshotInfo> list_repository_snapshots(Database& database, const std::optional<std::string>& repo_id) {
    if (repo_id) locate_tree(database, TreeAddress::repo_latest(*repo_id));  // not_found for an unknown repo
    Statement rows = database.prepare(std::string(kSnapshotSelect) + "WHERE ?1 IS NULL OR r.repo_id = ?1 "
                                                                      "ORDER BY r.repo_id, s.created_at, s.id");
    rows.bind(1, repo_id);
    SnapshotDetails details(database);
    std::vector<SnapshotInfo> snapshots;
    while (rows.step()) {
        snapshots.push_back(read_snapshot(rows));
        details.fill(snapshots.back());
    }
    return snapshots;
}

SnapshotInfo show_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name) {
    const TreeRows rows = locate_snapshot(database, TreeAddress::of_repository(repo_id, name));
    Statement row = database.prepare(std::string(kSnapshotSelect) + "WHERE s.id = ?1");
    row.bind(1, rows.snapshot_row).step();
    SnapshotInfo info = read_snapshot(row);
    SnapshotDetails(database).fill(info);
    return info;
}

std::vector<ViewSnapshotInfo> list_view_snapshots(Database& database, const std::optional<std::string>& view) {
    if (view) locate_tree(database, TreeAddress::view_latest(*view));  // not_found for an unknown view
    Statement rows = database.prepare(std::string(kViewSnapshotSelect) + "WHERE ?1 IS NULL OR v.name = ?1 "
                                                                          "ORDER BY v.name, vs.created_at, vs.id");
    rows.bind(1, view);
    Statement members = prepare_members(database);
    SnapshotDetails details(database);
    std::vector<ViewSnapshotInfo> snapshots;
    while (rows.step()) snapshots.push_back(read_view_snapshot(database, rows, members, details));
    return snapshots;
}

ViewSnapshotInfo show_view_snapshot(Database& database, const std::string& view, const std::string& name) {
    const TreeRows rows = locate_snapshot(database, TreeAddress::of_view(view, name));
    Statement row = database.prepare(std::string(kViewSnapshotSelect) + "WHERE vs.id = ?1");
    row.bind(1, rows.snapshot_row).step();
    Statement members = prepare_members(database);
    SnapshotDetails details(database);
    return read_view_snapshot(database, row, members, details);
}

}  // namespace chantal
