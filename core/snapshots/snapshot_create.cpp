#include "core/snapshots/snapshot_create.h"

#include <optional>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/lookups.h"
#include "core/catalogue/tree_address.h"
#include "core/snapshots/snapshot_name.h"

namespace chantal {
namespace {

std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

// The repository's row; Error::not_found unless it has a latest to freeze.
std::int64_t synced_repository_row(Database& database, const std::string& repo_id) {
    const auto row = find_repository_row(database, repo_id);
    if (!row || !has_latest(database, *row))
        throw Error::not_found("repository " + in_quotes(repo_id) + " has never been synced (nothing to snapshot)");
    return *row;
}

void require_free_snapshot_name(Database& database, std::int64_t repository_row, const std::string& repo_id,
                                const std::string& name) {
    Statement query = database.prepare("SELECT 1 FROM snapshots WHERE repository_id = ?1 AND name = ?2");
    query.bind(1, repository_row).bind(2, name);
    if (query.step())
        throw Error::already_exists("repository " + in_quotes(repo_id) + " already has a snapshot " + in_quotes(name));
}

std::int64_t count_packages(Database& database, std::int64_t snapshot_row) {
    Statement query = database.prepare(
        "SELECT count(*) FROM snapshot_contents WHERE snapshot_id = ?1 AND role = 'package'");
    query.bind(1, snapshot_row).step();
    return query.column_int64(0);
}

// Inserts snapshot `name` of repo_id (row repository_row) and copies the
// membership rows of `source` into it. The snapshot row comes from
// snapshot_row_sql, an INSERT ... SELECT with ?1 the source's key, ?2 the
// name, ?3 created_at and, when description is set, ?4 the description.
// Runs inside the caller's transaction.
SnapshotCreated insert_snapshot(Database& database, const std::string& repo_id, std::int64_t repository_row,
                                const std::string& name, const TreeSource& source, std::string_view snapshot_row_sql,
                                const std::optional<std::string>& description) {
    validate_snapshot_name(name);
    require_free_snapshot_name(database, repository_row, repo_id, name);
    Statement snapshot = database.prepare(snapshot_row_sql);
    snapshot.bind(1, source.key).bind(2, name).bind(3, unix_time_now());
    if (description) snapshot.bind(4, *description);
    snapshot.run();
    SnapshotCreated created{database.last_insert_rowid(), repo_id, name, 0, 0};
    const bool from_latest = source.table == TreeSource::Table::repository_contents;
    Statement contents = database.prepare(
        std::string("INSERT INTO snapshot_contents (snapshot_id, path, content_id, package_id, role, metadata_type) "
                    "SELECT ?1, path, content_id, package_id, role, metadata_type FROM ") +
        (from_latest ? "repository_contents WHERE repository_id = ?2" : "snapshot_contents WHERE snapshot_id = ?2") +
        " ORDER BY path");
    contents.bind(1, created.snapshot_row).bind(2, source.key).run();
    created.file_count = database.changes();
    created.package_count = count_packages(database, created.snapshot_row);
    return created;
}

// Freezes a repository's latest state. Runs inside the caller's transaction.
SnapshotCreated insert_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name,
                                           const std::string& description) {
    validate_snapshot_name(name);
    const std::int64_t repository_row = synced_repository_row(database, repo_id);
    return insert_snapshot(
        database, repo_id, repository_row, name, {TreeSource::Table::repository_contents, repository_row},
        "INSERT INTO snapshots (repository_id, name, description, created_at, generated_tree, repomd_sha256) "
        "SELECT id, ?2, ?4, ?3, generated_tree, last_repomd_sha256 FROM repositories WHERE id = ?1",
        description);
}

// Copies snapshot `source_row` as `target` of the same repository, with
// `description` or, when unset, the source's. Runs inside the caller's
// transaction.
SnapshotCreated insert_snapshot_copy(Database& database, const std::string& repo_id, std::int64_t source_row,
                                     const std::string& target, const std::optional<std::string>& description) {
    validate_snapshot_name(target);
    const std::int64_t repository_row = locate_tree(database, TreeAddress::repo_latest(repo_id)).owner_row;
    return insert_snapshot(
        database, repo_id, repository_row, target, {TreeSource::Table::snapshot_contents, source_row},
        "INSERT INTO snapshots (repository_id, name, description, created_at, generated_tree, repomd_sha256) "
        "SELECT repository_id, ?2, COALESCE(?4, description), ?3, generated_tree, repomd_sha256 FROM snapshots "
        "WHERE id = ?1",
        description);
}

void require_free_view_snapshot_name(Database& database, const std::string& view_name, const TreeRows& view,
                                     const std::string& name) {
    Statement query = database.prepare("SELECT 1 FROM view_snapshots WHERE view_id = ?1 AND name = ?2");
    query.bind(1, view.owner_row).bind(2, name);
    if (query.step())
        throw Error::already_exists("view " + in_quotes(view_name) + " already has a snapshot " + in_quotes(name));
}

std::int64_t insert_view_snapshot_row(Database& database, const TreeRows& view, const std::string& name,
                                      const std::string& description) {
    Statement insert = database.prepare(
        "INSERT INTO view_snapshots (view_id, name, description, created_at) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, view.owner_row).bind(2, name).bind(3, description).bind(4, unix_time_now()).run();
    return database.last_insert_rowid();
}

// Member snapshots are recorded with their position in the view.
void record_member(Statement& insert_member, std::int64_t view_snapshot_row, std::int64_t snapshot_row,
                   std::int64_t position) {
    insert_member.bind(1, view_snapshot_row).bind(2, snapshot_row).bind(3, position).run();
}

}  // namespace

SnapshotCreated create_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name,
                                           const std::string& description) {
    Transaction transaction(database);
    SnapshotCreated created = insert_repository_snapshot(database, repo_id, name, description);
    transaction.commit();
    return created;
}

ViewSnapshotCreated create_view_snapshot(Database& database, const std::string& view_name, const std::string& name,
                                         const std::string& description) {
    validate_snapshot_name(name);
    Transaction transaction(database);
    const TreeRows view = locate_tree(database, TreeAddress::view_latest(view_name));
    require_free_view_snapshot_name(database, view_name, view, name);
    ViewSnapshotCreated created{insert_view_snapshot_row(database, view, name, description), view_name, name, {}};

    Statement members = database.prepare(
        "SELECT r.repo_id, m.position FROM view_members m JOIN repositories r ON r.id = m.repository_id "
        "WHERE m.view_id = ?1 ORDER BY m.position");
    members.bind(1, view.owner_row);
    std::vector<std::pair<std::string, std::int64_t>> member_list;
    while (members.step()) member_list.emplace_back(members.column_text(0), members.column_int64(1));
    if (member_list.empty()) throw Error::invalid_input("view " + in_quotes(view_name) + " has no member repositories");

    Statement insert_member = database.prepare(
        "INSERT INTO view_snapshot_members (view_snapshot_id, snapshot_id, position) VALUES (?1, ?2, ?3)");
    const std::string member_name = view_member_snapshot_name(view_name, name);
    for (const auto& [repo_id, position] : member_list) {
        try {
            created.members.push_back(insert_repository_snapshot(database, repo_id, member_name, description));
        } catch (const Error& error) {
            throw Error(error.kind(), "view " + in_quotes(view_name) + ": " + error.what());
        }
        record_member(insert_member, created.view_snapshot_row, created.members.back().snapshot_row, position);
    }
    transaction.commit();
    return created;
}

SnapshotCreated copy_repository_snapshot(Database& database, const std::string& repo_id, const std::string& source,
                                         const std::string& target, const std::optional<std::string>& description) {
    Transaction transaction(database);
    const TreeAddress tree = TreeAddress::of_repository(repo_id, source);
    const TreeRows rows = locate_tree(database, tree);
    if (tree.is_latest())
        throw Error::invalid_input("copy needs a snapshot as source; use 'snapshot create' to freeze latest");
    SnapshotCreated created = insert_snapshot_copy(database, repo_id, rows.snapshot_row, target, description);
    transaction.commit();
    return created;
}

ViewSnapshotCreated copy_view_snapshot(Database& database, const std::string& view_name, const std::string& source,
                                       const std::string& target, const std::optional<std::string>& description) {
    validate_snapshot_name(target);
    Transaction transaction(database);
    const TreeAddress tree = TreeAddress::of_view(view_name, source);
    const TreeRows rows = locate_tree(database, tree);
    if (tree.is_latest())
        throw Error::invalid_input("copy needs a snapshot as source; use 'snapshot create' to freeze latest");
    require_free_view_snapshot_name(database, view_name, rows, target);

    Statement source_description = database.prepare("SELECT description FROM view_snapshots WHERE id = ?1");
    source_description.bind(1, rows.snapshot_row).step();
    ViewSnapshotCreated created{
        insert_view_snapshot_row(database, rows, target, description.value_or(source_description.column_text(0))),
        view_name, target, {}};

    Statement members = database.prepare(
        "SELECT r.repo_id, vm.snapshot_id, vm.position FROM view_snapshot_members vm "
        "JOIN snapshots s ON s.id = vm.snapshot_id JOIN repositories r ON r.id = s.repository_id "
        "WHERE vm.view_snapshot_id = ?1 ORDER BY vm.position");
    members.bind(1, rows.snapshot_row);
    struct Member {
        std::string repo_id;
        std::int64_t snapshot_row;
        std::int64_t position;
    };
    std::vector<Member> member_list;
    while (members.step())
        member_list.push_back({members.column_text(0), members.column_int64(1), members.column_int64(2)});

    Statement insert_member = database.prepare(
        "INSERT INTO view_snapshot_members (view_snapshot_id, snapshot_id, position) VALUES (?1, ?2, ?3)");
    const std::string member_name = view_member_snapshot_name(view_name, target);
    for (const auto& member : member_list) {
        try {
            created.members.push_back(
                insert_snapshot_copy(database, member.repo_id, member.snapshot_row, member_name, description));
        } catch (const Error& error) {
            throw Error(error.kind(), "view " + in_quotes(view_name) + ": " + error.what());
        }
        record_member(insert_member, created.view_snapshot_row, created.members.back().snapshot_row, member.position);
    }
    transaction.commit();
    return created;
}

}  // namespace chantal
