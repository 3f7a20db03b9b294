#include "fs/watcher.h"

#include <cerrno>
#include <chrono>

#include "core/catalogue/catalogue.h"
#include "core/catalogue/lookups.h"
#include "fs/log.h"

namespace chantal::fs {

void Watcher::start() {
    // The first data_version is read here, before the mount serves anything,
    // so a change committed right after mounting is noticed by the first poll.
    std::optional<Catalogue> catalogue;
    std::int64_t seen = -1;
    try {
        catalogue.emplace(Catalogue::open(context_.config.database_path, Catalogue::Mode::read_only));
        seen = catalogue->database().data_version();
    } catch (const std::exception& error) {
        log_line(std::string("watching the catalogue: ") + error.what());
        catalogue.reset();
    }
    thread_ = std::thread([this, catalogue = std::move(catalogue), seen]() mutable { run(std::move(catalogue), seen); });
}

void Watcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Watcher::recount_content_items(Database& database) {
    try {
        context_.content_item_count = count_content_items(database);
    } catch (const std::exception& error) {
        context_.content_item_count = -1;  // statfs counts itself until the next change
        log_line(std::string("counting the catalogue's content items: ") + error.what());
    }
}

void Watcher::run(std::optional<Catalogue> catalogue, std::int64_t seen) {
    if (catalogue) recount_content_items(catalogue->database());
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; })) return;
        }
        try {
            // A connection opened anew has no baseline to compare with (data_version
            // is per connection): its first answer counts as a change.
            if (!catalogue) catalogue.emplace(Catalogue::open(context_.config.database_path, Catalogue::Mode::read_only));
            const auto version = catalogue->database().data_version();
            if (version == seen) continue;
            seen = version;
            context_.trees.catalogue_changed();
            if (context_.session) {
                for (const auto inode : context_.inodes.top_directories())
                    fuse_lowlevel_notify_inval_inode(context_.session, inode, 0, 0);
                // The next path walk through repos/ID/latest asks the daemon
                // again: the same root node when latest did not move (the
                // kernel keeps everything below it), else the new version's.
                static constexpr char kLatest[] = "latest";
                for (const auto inode : context_.inodes.latest_parents())
                    if (fuse_lowlevel_notify_expire_entry(context_.session, inode, kLatest, sizeof kLatest - 1,
                                                          FUSE_LL_EXPIRE_ONLY) == -ENOSYS)
                        fuse_lowlevel_notify_inval_entry(context_.session, inode, kLatest, sizeof kLatest - 1);
            }
            // Last: a count of a large catalogue must not delay the notices.
            recount_content_items(catalogue->database());
        } catch (const std::exception& error) {
            log_line(std::string("watching the catalogue: ") + error.what());
            catalogue.reset();
            seen = -1;
        }
    }
}

}  // namespace chantal::fs
