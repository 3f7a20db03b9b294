// Read-only catalogue connections for the FUSE handler threads: one
// connection is used by one thread at a time (core/sqlite.h), so handlers
// lease one for the duration of a request and give it back.
//
// Thread safety: acquire() and the Lease destructor may be called from any
// thread. mutex_ is a leaf lock (nothing else is locked while holding it).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/catalogue.h"

namespace chantal::fs {

class ConnectionPool {
public:
    explicit ConnectionPool(std::filesystem::path database_file);

    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<Catalogue> catalogue)
            : pool_(pool), catalogue_(std::move(catalogue)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();
        Database& db() { return catalogue_->database(); }

    private:
        ConnectionPool& pool_;
        std::unique_ptr<Catalogue> catalogue_;
    };

    // A free connection, or a new one (opened read-only: must exist and be current).
    Lease acquire();
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::mutex mutex_;  // leaf
    std::vector<std::unique_ptr<Catalogue>> idle_;
};

}  // namespace chantal::fs
