#include "fs/inode_table.h"

namespace chantal::fs {

std::uint64_t inode_number(const Node& node) {
    if (node.kind == NodeKind::root) return kRootInode;
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : node.key()) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash <= kRootInode ? hash + 2 : hash;
}

InodeTable::InodeTable() {
    entries_[kRootInode] = {std::make_shared<const Node>(), 1};  // the kernel never forgets the root
}

std::uint64_t InodeTable::remember(const Node& node) {
    const auto inode = inode_number(node);
    remember(std::make_shared<const Node>(node), inode);
    return inode;
}

void InodeTable::remember(std::shared_ptr<const Node> node, std::uint64_t inode) {
    std::lock_guard lock(mutex_);
    auto& entry = entries_[inode];
    entry.node = std::move(node);
    ++entry.lookups;
}

std::shared_ptr<const Node> InodeTable::find(std::uint64_t inode) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(inode);
    if (it == entries_.end()) return nullptr;
    return it->second.node;
}

void InodeTable::forget(std::uint64_t inode, std::uint64_t count) {
    if (inode == kRootInode) return;
    std::lock_guard lock(mutex_);
    auto it = entries_.find(inode);
    if (it == entries_.end()) return;
    if (it->second.lookups <= count) entries_.erase(it);
    else it->second.lookups -= count;
}

std::vector<std::uint64_t> InodeTable::mutable_directories() const {
    std::vector<std::uint64_t> result;
    std::lock_guard lock(mutex_);
    for (const auto& [inode, entry] : entries_)
        if (entry.node->is_directory() && !entry.node->immutable) result.push_back(inode);
    return result;
}

std::size_t InodeTable::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace chantal::fs
