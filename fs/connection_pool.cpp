#include "fs/connection_pool.h"

namespace chantal::fs {

ConnectionPool::ConnectionPool(std::filesystem::path database_file) : file_(std::move(database_file)) {}

ConnectionPool::Lease::~Lease() {
    std::lock_guard lock(pool_.mutex_);
    pool_.idle_.push_back(std::move(catalogue_));
}

ConnectionPool::Lease ConnectionPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto catalogue = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(catalogue));
        }
    }
    return Lease(*this, std::make_unique<Catalogue>(Catalogue::open(file_, Catalogue::Mode::read_only)));
}

}  // namespace chantal::fs
