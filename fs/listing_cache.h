// Recently used directory listings (dir_listing.h), so that a directory is
// listed from the catalogue once and not at every opendir, readdir or lookup.
//
// Bounded: the listings' approximate heap bytes (DirListing::memory_bytes)
// stay within the budget; the least recently used are dropped first. A
// listing larger than the whole budget is not kept. Holders of a dropped
// listing (open directory handles, the inode table) keep theirs alive.
//
// Keys must change whenever the listing may (the caller puts the tree's
// version in them), so entries never need invalidation; stale ones age out.
//
// Thread safety: every member may be called from any thread; mutex_ is a
// leaf lock.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "fs/dir_listing.h"

namespace chantal::fs {

class ListingCache {
public:
    explicit ListingCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

    // The listing under `key` (now the most recently used); nullptr if absent.
    std::shared_ptr<const DirListing> find(const std::string& key);
    // Keeps `listing` under `key` (replacing an older one), then evicts.
    void insert(const std::string& key, std::shared_ptr<const DirListing> listing);

    std::size_t bytes() const;
    std::size_t entries() const;

private:
    struct Entry {
        std::string key;
        std::shared_ptr<const DirListing> listing;
    };
    void erase(std::list<Entry>::iterator it);

    const std::size_t budget_;
    mutable std::mutex mutex_;  // leaf: guards everything below
    std::list<Entry> recency_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t bytes_ = 0;
};

}  // namespace chantal::fs
