#include "fs/connection_pool.h"

namespace chantal::fs {

ConnectionPool::ConnectionPool(std::filesystem::path database_file, std::chrono::milliseconds wait_limit)
    : file_(std::move(database_file)), wait_limit_(wait_limit) {}

ConnectionPool::Lease::~Lease() {
    std::lock_guard lock(pool_.mutex_);
    pool_.idle_.push_back(std::move(connection_));
}

ConnectionPool::Lease ConnectionPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
    }
    return Lease(*this, std::make_unique<CatalogueConnection>(file_, Database::Access::read_only, wait_limit_));
}

}  // namespace chantal::fs
