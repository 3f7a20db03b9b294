#include "core/maintenance/db_vacuum.h"

#include <chrono>
#include <thread>

#include "core/maintenance/db_stats.h"

namespace chantal {
namespace {

std::uint64_t catalogue_bytes(const Database& database) {
    return file_size_or_zero(database.file()) + file_size_or_zero(database.file().string() + "-wal");
}

// PRAGMA wal_checkpoint(TRUNCATE): true when the WAL was emptied. Readers
// holding old snapshots make it return busy; retry briefly.
bool checkpoint_and_truncate(Database& database) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        Statement checkpoint(database, "PRAGMA wal_checkpoint(TRUNCATE)");
        if (checkpoint.step() && checkpoint.column_int(0) == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

}  // namespace

VacuumResult vacuum_catalogue(Database& database) {
    VacuumResult result;
    result.bytes_before = catalogue_bytes(database);
    checkpoint_and_truncate(database);
    database.execute("VACUUM");
    database.execute("ANALYZE");
    result.wal_truncated = checkpoint_and_truncate(database);
    result.bytes_after = catalogue_bytes(database);
    result.bytes_reclaimed = result.bytes_before > result.bytes_after ? result.bytes_before - result.bytes_after : 0;
    return result;
}

}  // namespace chantal
