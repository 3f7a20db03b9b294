#include "core/catalogue/background_checkpoint.h"

#include <exception>

namespace chantal {

BackgroundCheckpoint::BackgroundCheckpoint(Database& database)
    : database_(database),
      previous_autocheckpoint_pages_(static_cast<int>(database.query_int64("PRAGMA wal_autocheckpoint"))) {
    sqlite3_wal_autocheckpoint(database_.handle(), 0);
}

BackgroundCheckpoint::~BackgroundCheckpoint() {
    wait();
    sqlite3_wal_autocheckpoint(database_.handle(), previous_autocheckpoint_pages_);
}

void BackgroundCheckpoint::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this, file = database_.file()] {
        try {
            Database connection(file, Database::Access::read_write);
            int result = sqlite3_wal_checkpoint_v2(connection.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                                   nullptr);
            // BUSY: another connection is checkpointing; its copy serves.
            if (result != SQLITE_OK && (result & 0xff) != SQLITE_BUSY)
                connection.fail(result, "cannot checkpoint the write-ahead log");
        } catch (const std::exception& error) {
            error_ = error.what();
        }
    });
}

std::optional<std::string> BackgroundCheckpoint::wait() {
    if (thread_.joinable()) thread_.join();
    return error_;
}

}  // namespace chantal
