#include "fs/listing_cache.h"

namespace chantal::fs {

std::shared_ptr<const DirListing> ListingCache::find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    recency_.splice(recency_.begin(), recency_, it->second);
    return it->second->listing;
}

void ListingCache::insert(const std::string& key, std::shared_ptr<const DirListing> listing) {
    if (!listing || listing->memory_bytes() > budget_) return;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) erase(it->second);
    bytes_ += listing->memory_bytes();
    recency_.push_front({key, std::move(listing)});
    index_.emplace(key, recency_.begin());
    while (bytes_ > budget_) erase(std::prev(recency_.end()));
}

void ListingCache::erase(std::list<Entry>::iterator it) {
    bytes_ -= it->listing->memory_bytes();
    index_.erase(it->key);
    recency_.erase(it);
}

std::size_t ListingCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::size_t ListingCache::entries() const {
    std::lock_guard lock(mutex_);
    return recency_.size();
}

}  // namespace chantal::fs
