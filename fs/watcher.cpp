#include "fs/watcher.h"

#include <chrono>

#include "core/catalogue.h"
#include "fs/log.h"

namespace chantal::fs {

void Watcher::start() { thread_ = std::thread([this] { run(); }); }

void Watcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Watcher::run() {
    std::optional<Catalogue> catalogue;
    std::int64_t seen = -1;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; })) return;
        }
        try {
            if (!catalogue) catalogue.emplace(Catalogue::open(context_.config.database_path, Catalogue::Mode::read_only));
            const auto version = catalogue->database().query_int64("PRAGMA data_version");
            if (version == seen) continue;
            const bool first = seen == -1;
            seen = version;
            if (first) continue;
            context_.trees.catalogue_changed();
            if (!context_.session) continue;
            for (const auto inode : context_.inodes.mutable_directories())
                fuse_lowlevel_notify_inval_inode(context_.session, inode, 0, 0);
        } catch (const std::exception& error) {
            log_line(std::string("watching the catalogue: ") + error.what());
            catalogue.reset();
        }
    }
}

}  // namespace chantal::fs
