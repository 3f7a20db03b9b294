// The one object chantalfs passes to every FUSE handler as userdata: the
// configuration, the pool, catalogue connections, the inode table, the tree
// cache and the repodata generator. No globals.
//
// Thread safety: members are either immutable after construction or
// internally synchronised (see each class for its lock order).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/config/config.h"
#include "core/pool/pool.h"
#include "fs/connection_pool.h"
#include "fs/fuse_api.h"
#include "fs/generator.h"
#include "fs/inode_table.h"
#include "fs/listing_cache.h"
#include "fs/open_handles.h"
#include "fs/passthrough.h"
#include "fs/tree_cache.h"

namespace chantal::fs {

struct Options {
    std::string config_file;   // "" -> discovery (core/config/config.h)
    std::string mountpoint;
    unsigned grace_seconds = 600;   // -o grace=N
    bool passthrough = true;        // -o nopassthrough disables it
    unsigned catalogue_wait_seconds = 30;  // -o catalogue_wait=N: then EIO (fs/catalogue_connection.h)
    bool foreground = false;        // -f
    bool single_thread = false;     // -s
};

struct Context {
    Context(const Config& config, const Options& options);

    Config config;
    Options options;
    Pool pool;
    ConnectionPool connections;
    Generator generator;
    InodeTable inodes;
    TreeSigningKeys signing_keys;  // before trees, which use it
    TreeCache trees;
    ListingCache listings{kListingBudgetBytes};
    Passthrough passthrough;
    std::int64_t mount_time;
    // The catalogue's content item count (statfs f_files) as the watcher last
    // counted it: at its start and after every catalogue change. -1 until
    // the first count; statfs then counts itself.
    std::atomic<std::int64_t> content_item_count{-1};
    fuse_session* session = nullptr;  // set once mounted; used by the watcher
    // Last, so destroyed first: the handles hold nodes and listings.
    OpenHandles handles;

    // Kernel cache lifetimes (node_timeout): long for every node inside a
    // tree (a directory node is one version of its tree), short for the
    // top-level listings, the `latest` entries and files kept for the grace
    // period; the watcher also invalidates the top-level listings and
    // expires the `latest` entries when the catalogue changes.
    static constexpr double kImmutableTimeout = 3600.0;
    static constexpr double kMutableTimeout = 1.0;
    // Memory for directory listings kept between requests (listing_cache.h).
    static constexpr std::size_t kListingBudgetBytes = 64u << 20;
};

}  // namespace chantal::fs
