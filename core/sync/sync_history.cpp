#include "core/sync/sync_history.h"

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/sync/sync_lock.h"

namespace chantal {
namespace {

void write_failure(Database& database, std::int64_t repository_row, std::optional<std::int64_t> record,
                   const SyncCounts& counts, const std::optional<std::string>& repomd_sha256,
                   const std::string& message) {
    if (record) {
        finish_sync_record(database, *record, "failed", counts, repomd_sha256, message);
        return;
    }
    const std::int64_t now = unix_time_now();
    database
        .prepare("INSERT INTO sync_history (repository_id, started_at, finished_at, status, repomd_sha256, message) "
                 "VALUES (?1, ?2, ?2, 'failed', ?3, ?4)")
        .bind(1, repository_row)
        .bind(2, now)
        .bind(3, repomd_sha256)
        .bind(4, message)
        .run();
}

}  // namespace

void close_interrupted_syncs(Database& database, std::int64_t repository_row) {
    database.prepare("UPDATE sync_history SET status = 'failed', finished_at = coalesce(finished_at, started_at), "
                     "message = 'interrupted (the process ended before the sync finished)' "
                     "WHERE repository_id = ?1 AND status = 'running'")
        .bind(1, repository_row)
        .run();
}

std::int64_t begin_sync_record(Database& database, std::int64_t repository_row) {
    Transaction transaction(database);
    database.prepare("INSERT INTO sync_history (repository_id, started_at, status) VALUES (?1, ?2, 'running')")
        .bind(1, repository_row)
        .bind(2, unix_time_now())
        .run();
    const std::int64_t id = database.last_insert_rowid();
    transaction.commit();
    return id;
}

void finish_sync_record(Database& database, std::int64_t record_id, const std::string& status, const SyncCounts& counts,
                        const std::optional<std::string>& repomd_sha256, const std::string& message) {
    database
        .prepare("UPDATE sync_history SET status = ?2, finished_at = ?3, packages_added = ?4, packages_removed = ?5, "
                 "packages_unchanged = ?6, files_downloaded = ?7, bytes_downloaded = ?8, repomd_sha256 = ?9, "
                 "message = ?10 WHERE id = ?1")
        .bind(1, record_id)
        .bind(2, status)
        .bind(3, unix_time_now())
        .bind(4, counts.packages_added)
        .bind(5, counts.packages_removed)
        .bind(6, counts.packages_unchanged)
        .bind(7, counts.files_downloaded)
        .bind(8, counts.bytes_downloaded)
        .bind(9, repomd_sha256)
        .bind(10, message)
        .run();
}

std::vector<SyncHistoryRow> sync_history(Database& database, std::int64_t repository_row, int limit) {
    Statement query = database.prepare(
        "SELECT id, started_at, finished_at, status, packages_added, packages_removed, packages_unchanged, "
        "files_downloaded, bytes_downloaded, repomd_sha256, message FROM sync_history WHERE repository_id = ?1 "
        "ORDER BY id DESC LIMIT ?2");
    query.bind(1, repository_row).bind(2, limit);
    std::vector<SyncHistoryRow> rows;
    while (query.step()) {
        SyncHistoryRow row;
        row.id = query.column_int64(0);
        row.started_at = query.column_int64(1);
        row.finished_at = query.column_optional_int64(2);
        row.status = query.column_text(3);
        row.counts = {query.column_int64(4), query.column_int64(5), query.column_int64(6), query.column_int64(7),
                      query.column_int64(8)};
        row.repomd_sha256 = query.column_optional_text(9);
        row.message = query.column_text(10);
        rows.push_back(std::move(row));
    }
    return rows;
}

bool record_sync_failure(Database& database, const CatalogueReserve& reserve, std::int64_t repository_row,
                         std::optional<std::int64_t> record, const SyncCounts& counts,
                         const std::optional<std::string>& repomd_sha256, const std::string& message) noexcept {
    try {
        try {
            write_failure(database, repository_row, record, counts, repomd_sha256, message);
            return true;
        } catch (const Error& error) {
            if (!error.is_no_space() || !reserve.release()) return false;
        }
        bool recorded = false;
        try {
            write_failure(database, repository_row, record, counts, repomd_sha256, message);
            recorded = true;
        } catch (const Error&) {
        }
        try {
            reserve.ensure();
        } catch (const Error&) {
            // Still full: the next sync makes the reserve (or fails before it writes).
        }
        return recorded;
    } catch (...) {
        return false;  // std::bad_alloc and the like
    }
}

std::vector<RunningSync> running_syncs(Database& database, const std::filesystem::path& temp_root) {
    std::vector<RunningSync> rows;
    Statement query = database.prepare(
        "SELECT h.id, r.repo_id, h.started_at, h.id = (SELECT max(n.id) FROM sync_history n "
        "WHERE n.repository_id = h.repository_id AND n.status = 'running') "
        "FROM sync_history h JOIN repositories r ON r.id = h.repository_id "
        "WHERE h.status = 'running' ORDER BY h.started_at, r.repo_id, h.id");
    while (query.step()) {
        RunningSync row;
        row.record_id = query.column_int64(0);
        row.repo_id = query.column_text(1);
        row.started_at = query.column_int64(2);
        const bool newest = query.column_int64(3) != 0;
        row.live = newest && lock_is_held(sync_lock_path(temp_root, row.repo_id)) != LockProbe::free;
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace chantal
