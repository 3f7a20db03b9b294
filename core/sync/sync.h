// Repository sync (design.md §3 "Consistency"), the format-neutral driver.
// Its stages: read (the repository's format fetches the top index, brings
// the index files into the pool and catalogues their packages:
// package_format.h), select (filters, mirror or generated tree:
// package_selection.h), fetch (the missing package files into the pool:
// package_fetch.h), switch (the repo's latest membership in one
// transaction: latest_switch.h). Any failure before the switch leaves latest
// as it was.
//
// When upstream and the repo's config are unchanged since the last sync, the
// sync stats every pool file latest references (no hashing): all there with
// their sizes means "up to date"; otherwise it runs the whole path above,
// which fetches what the pool lacks, and keeps latest as it is
// (files_refetched says how many came back). Damaged bytes of the right size
// are found and repaired by `repo sync --repair` (pool_repair.h).
//
// One sync per repository at a time (a lock file under temp_path); different
// repositories may sync concurrently from different processes.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/download/sync_observer.h"
#include "core/pool/pool.h"
#include "core/tree/tree_diff.h"

namespace chantal {

struct SyncOptions {
    std::optional<unsigned> workers;          // overrides download.parallel
    const std::atomic<bool>* cancel = nullptr;  // set (e.g. by SIGINT) to stop early
};

struct SyncReport {
    std::string repo_id;
    bool up_to_date = false;        // upstream unchanged: nothing fetched but the top index (repomd.xml)
    bool generated_tree = false;    // latest is served with generated repodata
    std::int64_t packages_total = 0;
    // Latest before -> latest after, per (name, arch) as `snapshot diff` and
    // `check-updates` count it (tree_diff.h); unchanged only when up to date.
    TreeDiff changes;
    std::int64_t files_downloaded = 0;
    std::uint64_t bytes_downloaded = 0;
    // Upstream unchanged, but pool files of latest were missing or had the
    // wrong size: how many of them this sync fetched again (latest itself is
    // left as it was).
    std::int64_t files_refetched = 0;
    double seconds = 0;
    std::vector<std::string> warnings;
};

// Throws chantal::Error (naming the repo; URLs without credentials) on
// failure, after recording the failure in sync history.
SyncReport sync_repository(const Config& config, const RepositoryConfig& repository, Database& database,
                           const Pool& pool, const SyncOptions& options, SyncObserver& observer);

struct UpdateCheck {
    std::string repo_id;
    bool up_to_date = false;  // same upstream and config as the last successful sync
    TreeDiff changes;                    // latest -> what a sync would make it
    std::uint64_t download_bytes = 0;    // size of packages the pool lacks
    std::int64_t download_files = 0;
};

// What a sync would change, fetching the top index and the package lists
// only (IndexScope::package_lists: repomd.xml and primary; no package, no
// change to latest).
UpdateCheck check_repository_updates(const Config& config, const RepositoryConfig& repository, Database& database,
                                     const Pool& pool, const SyncOptions& options, SyncObserver& observer);

}  // namespace chantal
