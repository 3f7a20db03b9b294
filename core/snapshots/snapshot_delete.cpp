#include "core/snapshots/snapshot_delete.h"

#include "core/base/error.h"
#include "core/catalogue/tree_package.h"

namespace chantal {
namespace {

std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

// "view 'all' snapshot '2025-06'" for every view snapshot using a snapshot.
std::vector<std::string> view_snapshots_using(Database& database, std::int64_t snapshot_row,
                                              std::int64_t except_view_snapshot_row = 0) {
    Statement query = database.prepare(
        "SELECT v.name, vs.name FROM view_snapshot_members vm JOIN view_snapshots vs ON vs.id = vm.view_snapshot_id "
        "JOIN views v ON v.id = vs.view_id WHERE vm.snapshot_id = ?1 AND vm.view_snapshot_id != ?2 "
        "ORDER BY v.name, vs.name");
    query.bind(1, snapshot_row).bind(2, except_view_snapshot_row);
    std::vector<std::string> users;
    while (query.step()) users.push_back("view " + in_quotes(query.column_text(0)) + " snapshot " + in_quotes(query.column_text(1)));
    return users;
}

void delete_snapshot_rows(Database& database, std::int64_t snapshot_row) {
    Statement members = database.prepare("DELETE FROM view_snapshot_members WHERE snapshot_id = ?1");
    members.bind(1, snapshot_row).run();
    Statement contents = database.prepare("DELETE FROM snapshot_contents WHERE snapshot_id = ?1");
    contents.bind(1, snapshot_row).run();
    Statement snapshot = database.prepare("DELETE FROM snapshots WHERE id = ?1");
    snapshot.bind(1, snapshot_row).run();
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

DeleteOutcome delete_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name,
                                         bool force) {
    Transaction transaction(database);
    const TreeAddress tree = TreeAddress::of_repository(repo_id, name);
    const TreeRows rows = locate_snapshot(database, tree);
    DeleteOutcome outcome;
    outcome.broken = view_snapshots_using(database, rows.snapshot_row);
    if (!outcome.broken.empty() && !force)
        throw Error::conflict(tree.describe() + " is part of " + join(outcome.broken) +
                              "; delete those first, or use --force to delete it anyway (they lose this member)");
    delete_snapshot_rows(database, rows.snapshot_row);
    outcome.deleted.push_back(tree.describe());
    transaction.commit();
    return outcome;
}

DeleteOutcome delete_view_snapshot(Database& database, const std::string& view, const std::string& name) {
    Transaction transaction(database);
    const TreeAddress tree = TreeAddress::of_view(view, name);
    const TreeRows rows = locate_snapshot(database, tree);
    DeleteOutcome outcome;

    Statement members = database.prepare(
        "SELECT s.id, r.repo_id, s.name FROM view_snapshot_members vm JOIN snapshots s ON s.id = vm.snapshot_id "
        "JOIN repositories r ON r.id = s.repository_id WHERE vm.view_snapshot_id = ?1 ORDER BY vm.position");
    members.bind(1, rows.snapshot_row);
    struct Member {
        std::int64_t row;
        std::string description;
    };
    std::vector<Member> member_list;
    while (members.step())
        member_list.push_back({members.column_int64(0), "repository " + in_quotes(members.column_text(1)) +
                                                            " snapshot " + in_quotes(members.column_text(2))});

    Statement remove = database.prepare("DELETE FROM view_snapshots WHERE id = ?1");  // members cascade
    remove.bind(1, rows.snapshot_row).run();
    outcome.deleted.push_back(tree.describe());
    for (const auto& member : member_list) {
        if (!view_snapshots_using(database, member.row).empty()) {
            outcome.kept.push_back(member.description);
            continue;
        }
        delete_snapshot_rows(database, member.row);
        outcome.deleted.push_back(member.description);
    }
    Statement drop_unconfigured_view = database.prepare(
        "DELETE FROM views WHERE id = ?1 AND configured = 0 "
        "AND NOT EXISTS (SELECT 1 FROM view_snapshots WHERE view_id = ?1)");
    drop_unconfigured_view.bind(1, rows.owner_row).run();
    transaction.commit();
    return outcome;
}

}  // namespace chantal
