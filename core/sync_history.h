// Records of sync attempts (table sync_history), for `repo history` and
// `repo show`. Messages never contain credentials: callers pass messages
// built from redacted URLs only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/sqlite.h"

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

// Marks attempts left 'running' by a killed process as failed.
void close_interrupted_syncs(Database& database, std::int64_t repository_row);
// Inserts a 'running' row (own transaction); returns its id.
std::int64_t begin_sync_record(Database& database, std::int64_t repository_row);
// Sets the final state. Call inside the transaction that switches latest
// (success) or on its own (failure).
void finish_sync_record(Database& database, std::int64_t record_id, const std::string& status, const SyncCounts& counts,
                        const std::optional<std::string>& repomd_sha256, const std::string& message);
std::vector<SyncHistoryRow> sync_history(Database& database, std::int64_t repository_row, int limit);

}  // namespace chantal
