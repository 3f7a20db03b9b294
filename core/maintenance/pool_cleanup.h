// pool cleanup: remove pool files that no tree references.
//
// A pool file is removed when all of these hold:
//   - no tree references it (repository_contents, snapshot_contents,
//     generated_metadata, retired_tree_files: kReferencedContentIdsSql);
//   - its mtime is older than the cutoff, and so is its content_items row's
//     added_at (when it has one);
// where cutoff = now - grace_period, moved earlier to the start of the oldest
// live 'running' sync in sync_history (running_syncs in core/sync/sync_history.h:
// its repository's sync lock is held). A 'running' row whose sync is no
// longer running (killed, or it could not record its end) does not move the
// cutoff; it is reported in stale_syncs. A sync puts files into the pool
// before it switches membership; the grace period is what keeps those files,
// so it must be longer than the longest sync.
//
// Removing a catalogued file deletes its content_items row and sets
// content_id = NULL on the packages rows that named it (their metadata is
// kept: a later sync finds them catalogued and downloads the file again).
// Catalogue rows and file removals happen under the catalogue's write lock
// (one transaction): each candidate is re-checked there, so a membership
// switch committed meanwhile keeps its files.
//
// Files a moved `latest` retired stay referenced for retired_grace_period
// (storage.metadata_grace_period, what every mount serves them for), however
// short grace_period is: cleanup first forgets retirements older than that,
// then applies the rules above. grace_period bounds only files no tree
// referenced recently.
//
// Order of work: rows before files (see remove_candidates), so kill -9 at any
// point leaves a catalogue that db verify accepts; the files of removed rows
// are unlinked by this run or, if it is interrupted, by the next one.
//
// Also removes files in temp_path older than the cutoff (left by killed
// downloads and writers), except lock files (a sync lock removed while held
// would let a second sync of the repo start beside the first) and the partial
// downloads in sync-<repo>/ while that repo's sync holds its lock (whatever
// their age).
//
// Writer contract (for the sync engine): a writer that finds content already
// in the pool must, inside the transaction that references it, check that the
// content_items row still exists (it is deleted together with the file).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/sync/sync_history.h"

namespace chantal {

inline constexpr std::chrono::seconds kDefaultCleanupGracePeriod{24 * 60 * 60};

struct PoolCleanupOptions {
    std::chrono::seconds grace_period = kDefaultCleanupGracePeriod;
    std::chrono::seconds retired_grace_period{600};  // storage.metadata_grace_period
    bool dry_run = false;                    // report what would go, change nothing
    std::optional<std::int64_t> now;         // unix seconds; default the clock (tests set it)
};

struct RemovedPoolFile {
    std::string sha256;
    std::string filename;
    std::filesystem::path path;
    std::uint64_t size = 0;
    bool catalogued = false;                 // had a content_items row
};

struct PoolCleanupReport {
    bool dry_run = false;
    std::int64_t cutoff = 0;                 // unix seconds: anything newer was kept
    std::optional<std::string> running_sync_repo;   // oldest live running sync
    std::optional<std::int64_t> running_sync_started_at;
    std::vector<RunningSync> stale_syncs;    // marked 'running', but not running (ignored)
    std::vector<RemovedPoolFile> removed_files;     // (dry run: would be removed)
    std::uint64_t removed_bytes = 0;
    std::int64_t retired_rows_forgotten = 0; // retirements older than retired_grace_period
    std::int64_t content_rows_removed = 0;   // content_items rows deleted (files and rows without files)
    std::int64_t packages_detached = 0;      // packages rows set to content_id = NULL
    std::vector<std::filesystem::path> removed_temp_files;
    std::uint64_t removed_temp_bytes = 0;
    std::uint64_t kept_recent_files = 0;     // unreferenced but newer than the cutoff
    std::uint64_t kept_recent_bytes = 0;
    std::vector<std::string> warnings;       // files that could not be removed (their rows are kept)
};

// Throws Error::busy when the write lock cannot be had, Error::io when a
// file cannot be removed (the transaction is then rolled back, so the rows of
// files still present are kept).
PoolCleanupReport clean_pool(Database& database, const Pool& pool, const PoolCleanupOptions& options);

}  // namespace chantal
