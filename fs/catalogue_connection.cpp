#include "fs/catalogue_connection.h"

#include <algorithm>
#include <thread>

#include "core/catalogue/catalogue.h"
#include "fs/log.h"

namespace chantal::fs {

CatalogueConnection::CatalogueConnection(const std::filesystem::path& file, Database::Access access,
                                         std::chrono::milliseconds limit)
    : database_(Catalogue::open_database(file,
                                         access == Database::Access::read_only ? Catalogue::Mode::read_only
                                                                               : Catalogue::Mode::read_write,
                                         0)),  // the busy handler below replaces the timeout
      limit_(limit) {
    sqlite3_busy_handler(database_.handle(), &CatalogueConnection::on_busy, this);
    // The first read waits like any other, then checks what main() checked at
    // mount time, in case a newer chantal migrated the catalogue since.
    if (access == Database::Access::read_only) Catalogue::check_and_migrate(database_, Catalogue::Mode::read_only);
}

int CatalogueConnection::on_busy(void* self, int calls_so_far) noexcept {
    auto& connection = *static_cast<CatalogueConnection*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (calls_so_far == 0) {
        connection.wait_started_ = now;
        try {
            const auto ms = connection.limit_.count();
            const auto limit = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
            log_line("catalogue " + connection.database_.file().string() +
                     " is locked by another process; waiting up to " + limit);
        } catch (...) {  // no memory for the line: wait anyway
        }
    }
    const std::chrono::steady_clock::duration waited = now - connection.wait_started_;
    if (waited >= connection.limit_) return 0;  // give up: SQLITE_BUSY
    const std::chrono::steady_clock::duration backoff =
        std::chrono::milliseconds(std::min(1 << std::min(calls_so_far, 8), 250));
    std::this_thread::sleep_for(std::min(backoff, connection.limit_ - waited));
    return 1;
}

}  // namespace chantal::fs
