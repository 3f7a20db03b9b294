// Read-only catalogue connections for the FUSE handler threads: one
// connection is used by one thread at a time (core/catalogue/sqlite.h), so handlers
// lease one for the duration of a request and give it back. Each waits up
// to `wait_limit` for a locked catalogue (fs/catalogue_connection.h).
//
// Thread safety: acquire() and the Lease destructor may be called from any
// thread. mutex_ is a leaf lock (nothing else is locked while holding it).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "fs/catalogue_connection.h"

namespace chantal::fs {

class ConnectionPool {
public:
    ConnectionPool(std::filesystem::path database_file, std::chrono::milliseconds wait_limit);

    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<CatalogueConnection> connection)
            : pool_(pool), connection_(std::move(connection)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();
        Database& db() { return connection_->database(); }

    private:
        ConnectionPool& pool_;
        std::unique_ptr<CatalogueConnection> connection_;
    };

    // A free connection, or a new one (opened read-only: must exist and be current).
    Lease acquire();
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::chrono::milliseconds wait_limit_;
    std::mutex mutex_;  // leaf
    std::vector<std::unique_ptr<CatalogueConnection>> idle_;
};

}  // namespace chantal::fs
