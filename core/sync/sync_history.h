// Records of sync attempts (table sync_history), for `repo history` and
// `repo show`. Messages never contain credentials: callers pass messages
// built from redacted URLs only.
//
// Liveness of 'running' rows (running_syncs). A sync holds its repository's
// sync lock (core/sync/sync_lock.h) from before it inserts its 'running' row until
// after it has recorded the outcome, and only one sync of a repository runs
// at a time. So a 'running' row is live exactly when
//   1. the sync lock of its repository is held (lock_is_held, which tests the
//      lock without taking it, so a starting sync never fails because of a
//      probe), and
//   2. it is its repository's newest 'running' row (a sync closes the older
//      ones, close_interrupted_syncs, right after taking the lock).
// Any other 'running' row was left by a process that died (kill -9, power
// loss) or could not write its outcome, and is stale. No PID is stored or
// needed: PID reuse, PID namespaces (a sync in another container on the same
// storage) and a process that goes on after the sync (repo sync --all) cannot
// mislead the lock. When the lock cannot be probed (LockProbe::unknown) the
// row counts as live: waiting is safe, deleting a live sync's files is not.
//
// A failing sync records its failure even on a full catalogue file system:
// record_sync_failure() releases the CatalogueReserve and retries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/catalogue_reserve.h"
#include "core/catalogue/sqlite.h"

namespace chantal {

struct SyncCounts {
    std::int64_t packages_added = 0;
    std::int64_t packages_removed = 0;
    std::int64_t packages_unchanged = 0;
    std::int64_t files_downloaded = 0;
    std::int64_t bytes_downloaded = 0;
};

struct SyncHistoryRow {
    std::int64_t id = 0;
    std::int64_t started_at = 0;
    std::optional<std::int64_t> finished_at;
    std::string status;  // running, success, up_to_date, failed
    SyncCounts counts;
    std::optional<std::string> repomd_sha256;
    std::string message;
};

// Marks attempts left 'running' by a killed process as failed. Call with the
// repository's sync lock held: then no other process syncs it, and every
// 'running' row of it is stale.
void close_interrupted_syncs(Database& database, std::int64_t repository_row);
// Inserts a 'running' row (own transaction); returns its id.
std::int64_t begin_sync_record(Database& database, std::int64_t repository_row);
// Sets the final state. Call inside the transaction that switches latest
// (success) or on its own (failure).
void finish_sync_record(Database& database, std::int64_t record_id, const std::string& status, const SyncCounts& counts,
                        const std::optional<std::string>& repomd_sha256, const std::string& message);
std::vector<SyncHistoryRow> sync_history(Database& database, std::int64_t repository_row, int limit);

// Records a failed attempt: sets `record` (the attempt's 'running' row) to
// failed or, when the attempt failed before inserting one, inserts a failed
// row. When that fails for lack of space, releases `reserve`, writes again,
// then tries to make the reserve anew. Never throws: a failure to record must
// not hide the failure being recorded. Returns whether it was recorded.
bool record_sync_failure(Database& database, const CatalogueReserve& reserve, std::int64_t repository_row,
                         std::optional<std::int64_t> record, const SyncCounts& counts,
                         const std::optional<std::string>& repomd_sha256, const std::string& message) noexcept;

struct RunningSync {
    std::int64_t record_id = 0;
    std::string repo_id;
    std::int64_t started_at = 0;
    bool live = false;  // by the rule in this header
};

// Every 'running' row, oldest first (started_at, then repo id), with its
// liveness; sync locks are looked for in temp_root (storage.temp_path).
std::vector<RunningSync> running_syncs(Database& database, const std::filesystem::path& temp_root);

}  // namespace chantal
