// A catalogue connection of the daemon that waits patiently, and visibly,
// for a locked catalogue.
//
// chantalfs reads the catalogue while CLI commands write it. In WAL mode (what
// chantal creates) a writer never blocks readers, but the daemon's one write
// (recording generated repodata, fs/generator.h) waits for a CLI write
// transaction to end, and a catalogue in rollback-journal mode (restored by
// hand, or being recovered after a crash) blocks readers too. SQLite then
// calls this connection's busy handler, which replaces sqlite3_busy_timeout:
//   - on the first call of a wait it logs one line naming the catalogue;
//   - it sleeps with exponential backoff (1 ms doubling up to 250 ms);
//   - after `limit` it gives up: SQLite returns SQLITE_BUSY, which becomes
//     Error::busy and, at the FUSE edge, EIO with a log line. Never a hang.
//
// Thread safety: like Database, one thread at a time. SQLite calls the
// handler on the thread running the statement, so the wait state needs no
// lock. Not movable: SQLite holds a pointer to *this.
#pragma once

#include <chrono>
#include <filesystem>

#include "core/catalogue/sqlite.h"

namespace chantal::fs {

class CatalogueConnection {
public:
    // Opens `file` (read_only: it must exist and have this build's schema
    // version, else Error::not_found / Error::unsupported).
    CatalogueConnection(const std::filesystem::path& file, Database::Access access, std::chrono::milliseconds limit);
    CatalogueConnection(const CatalogueConnection&) = delete;
    CatalogueConnection& operator=(const CatalogueConnection&) = delete;

    Database& database() noexcept { return database_; }

private:
    static int on_busy(void* self, int calls_so_far) noexcept;

    Database database_;
    std::chrono::milliseconds limit_;
    std::chrono::steady_clock::time_point wait_started_;
};

}  // namespace chantal::fs
