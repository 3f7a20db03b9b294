// The last stage of a sync: the membership rows of a repo's new latest, and
// the switch that replaces the old ones in the caller's transaction (with
// the retirement of files that leave the tree, retired_files.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/sync/package_selection.h"
#include "core/sync/sync_history.h"
#include "core/tree/package_format.h"

namespace chantal {

// One repository_contents row of the new latest.
struct LatestEntry {
    std::string path;
    std::int64_t content_id = 0;
    std::optional<std::int64_t> package_id;       // set exactly for packages
    std::string role;                             // "package" or "metadata"
    std::optional<std::string> metadata_type;     // for index files
};

// The new latest: every fetched index file (a mirror tree serves them; a
// generated tree passes some through, e.g. comps) and every selected
// package at its path. A package listed more than once is served at each of its paths in
// a mirror; in a generated tree its entries meet at one path, where it is
// kept once. Two different packages at one path: the first is kept, with a
// warning appended to `warnings`.
std::vector<LatestEntry> latest_entries(const PackageFormat& format, const UpstreamIndexes& indexes,
                                        const PackageSelection& selection, Database& database,
                                        std::vector<std::string>& warnings);

// The package ids of a repo's current latest.
std::unordered_set<std::int64_t> latest_package_ids(Database& database, std::int64_t repository_row);

// True when latest holds exactly these entries.
bool latest_matches(Database& database, std::int64_t repository_row, std::vector<LatestEntry> entries);

// Replaces latest in the caller's transaction, first recording every file
// of the current latest whose path will no longer name the same content as
// retired (and forgetting the tree's retirements older than the grace
// period), and moves the repo's latest_changed_at to `now` (unix seconds),
// or one second past its previous value when `now` is not later: every
// switch gets a change time of its own, which tree versions rely on
// (core/tree/tree.h). Returns the package counts (added, removed, unchanged).
SyncCounts switch_latest(Database& database, const RepositoryConfig& repository, std::int64_t repository_row,
                         const std::vector<LatestEntry>& entries, std::int64_t now, int grace_period_seconds);

}  // namespace chantal
