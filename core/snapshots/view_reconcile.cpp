#include "core/snapshots/view_reconcile.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/file_util.h"
#include "core/catalogue/repository_records.h"
#include "core/catalogue/tree_address.h"

namespace chantal {
namespace {

struct StoredView {
    std::int64_t row = 0;
    std::string description;
    bool configured = true;
    std::vector<std::string> members;  // repo ids in position order
    bool has_snapshots = false;
};

std::map<std::string, StoredView> load_views(Database& database) {
    std::map<std::string, StoredView> views;
    Statement rows = database.prepare(
        "SELECT id, name, description, configured, "
        "EXISTS (SELECT 1 FROM view_snapshots s WHERE s.view_id = views.id) FROM views");
    while (rows.step()) {
        StoredView& view = views[rows.column_text(1)];
        view.row = rows.column_int64(0);
        view.description = rows.column_text(2);
        view.configured = rows.column_int(3) != 0;
        view.has_snapshots = rows.column_int(4) != 0;
    }
    Statement members = database.prepare(
        "SELECT v.name, r.repo_id FROM view_members m JOIN views v ON v.id = m.view_id "
        "JOIN repositories r ON r.id = m.repository_id ORDER BY m.view_id, m.position");
    while (members.step()) views[members.column_text(0)].members.push_back(members.column_text(1));
    return views;
}

bool matches(const StoredView& stored, const ViewConfig& wanted) {
    return stored.configured && stored.description == wanted.description && stored.members == wanted.repos;
}

void write_members(Database& database, std::int64_t view_row, const ViewConfig& view, const Config& config) {
    Statement clear = database.prepare("DELETE FROM view_members WHERE view_id = ?1");
    clear.bind(1, view_row).run();
    Statement insert = database.prepare("INSERT INTO view_members (view_id, repository_id, position) VALUES (?1, ?2, ?3)");
    int position = 0;
    for (const auto& repo_id : view.repos) {
        std::optional<std::int64_t> repository = find_repository_row(database, repo_id);
        if (!repository) repository = upsert_repository(database, config.repository(repo_id));
        insert.bind(1, view_row).bind(2, *repository).bind(3, position++).run();
    }
}

}  // namespace

ViewReconcileResult reconcile_views(Database& database, const Config& config) {
    ViewReconcileResult result;
    std::map<std::string, StoredView> stored = load_views(database);

    bool in_sync = true;
    for (const auto& view : config.views) {
        auto found = stored.find(view.name);
        if (found == stored.end() || !matches(found->second, view)) in_sync = false;
    }
    for (const auto& [name, view] : stored)
        if (!config.find_view(name) && (view.configured || !view.has_snapshots)) in_sync = false;
    if (in_sync) return result;

    Transaction transaction(database);
    stored = load_views(database);  // re-read under the write lock
    Statement insert_view = database.prepare(
        "INSERT INTO views (name, description, created_at, configured) VALUES (?1, ?2, ?3, 1)");
    Statement update_view = database.prepare("UPDATE views SET description = ?2, configured = 1 WHERE id = ?1");
    for (const auto& view : config.views) {
        auto found = stored.find(view.name);
        if (found == stored.end()) {
            insert_view.bind(1, view.name).bind(2, view.description).bind(3, unix_time_now()).run();
            write_members(database, database.last_insert_rowid(), view, config);
            ++result.created;
        } else if (!matches(found->second, view)) {
            update_view.bind(1, found->second.row).bind(2, view.description).run();
            write_members(database, found->second.row, view, config);
            ++result.updated;
        }
    }
    Statement unconfigure = database.prepare("UPDATE views SET configured = 0 WHERE id = ?1");
    Statement remove = database.prepare("DELETE FROM views WHERE id = ?1");
    // A view that leaves the config has no latest: a view created later
    // under its name starts without a previous version to retire.
    Statement forget_latest = database.prepare("DELETE FROM latest_generated_digests WHERE tree_path = ?1");
    for (const auto& [name, view] : stored) {
        if (config.find_view(name)) continue;
        forget_latest.bind(1, TreeAddress::view_latest(name).path()).run();
        if (view.has_snapshots) {
            if (!view.configured) continue;
            unconfigure.bind(1, view.row).run();
            ++result.unconfigured;
        } else {
            remove.bind(1, view.row).run();
            ++result.deleted;
        }
    }
    transaction.commit();
    return result;
}

}  // namespace chantal
