// db vacuum: give the catalogue's free pages back to the file system.
//
// Checkpoints the WAL, rebuilds the file (VACUUM), refreshes the query
// planner's statistics (ANALYZE) and truncates the WAL. Safe while chantalfs
// has the catalogue open read-only: in WAL mode readers keep their snapshot
// while VACUUM writes; VACUUM itself needs the write lock, which it waits for
// up to the connection's busy timeout (then Error::busy).
#pragma once

#include <cstdint>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct VacuumResult {
    std::uint64_t bytes_before = 0;      // catalogue file + WAL before
    std::uint64_t bytes_after = 0;       // catalogue file + WAL after
    std::uint64_t bytes_reclaimed = 0;   // before - after (0 if it grew)
    // false when readers kept the final checkpoint from truncating the WAL;
    // it shrinks at a later checkpoint, nothing is lost.
    bool wal_truncated = true;
};

// Throws Error::busy when another writer holds the lock past the timeout,
// Error::corrupt for a damaged file. `database` must have no open
// transaction.
VacuumResult vacuum_catalogue(Database& database);

}  // namespace chantal
