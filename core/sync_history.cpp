#include "core/sync_history.h"

#include "core/file_util.h"

namespace chantal {

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

}  // namespace chantal
