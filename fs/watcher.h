// Live updates: a thread (not a FUSE handler, so kernel notifications cannot
// deadlock) polls the catalogue's PRAGMA data_version every 500 ms. On a
// change it bumps the tree cache's generation (trees are re-resolved on next
// access), invalidates the kernel's cached attributes and listings of the
// top-level directories it knows (fuse_lowlevel_notify_inval_inode) and
// expires every known repos/ID/latest and views/V/latest entry
// (fuse_lowlevel_notify_expire_entry), so the next path walk meets the root
// of latest's current version. Everything inside a tree version stays in the
// kernel's caches. Together with 1 s timeouts on those entries a sync,
// snapshot create or delete shows in the mount within 2 s. It also keeps
// Context::content_item_count (statfs) current: counted when the thread
// starts and after every change's notices.
//
// Thread safety: start()/stop() from the main thread; mutex_ guards stop_.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "core/catalogue/catalogue.h"
#include "fs/context.h"

namespace chantal::fs {

class Watcher {
public:
    explicit Watcher(Context& context) : context_(context) {}
    ~Watcher() { stop(); }
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;

    void start();
    void stop();

private:
    // The thread's loop; `catalogue` (its own connection) and `seen` (that
    // connection's data_version at start) are handed over by start().
    void run(std::optional<Catalogue> catalogue, std::int64_t seen);
    // Context::content_item_count from `database`; -1 (statfs counts
    // itself) with a log line when counting fails.
    void recount_content_items(Database& database);
    Context& context_;
    std::thread thread_;
    std::mutex mutex_;  // leaf: guards stop_
    std::condition_variable wake_;
    bool stop_ = false;
};

}  // namespace chantal::fs
