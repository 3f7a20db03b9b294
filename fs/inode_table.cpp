#include "fs/inode_table.h"

#include <initializer_list>
#include <string_view>

namespace chantal::fs {

namespace {

// FNV-1a over the concatenation of `parts` (the parts of Node::key(), hashed
// in place rather than joined: this runs once per listed entry).
std::uint64_t fnv1a(std::initializer_list<std::string_view> parts) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const auto part : parts) {
        for (const unsigned char c : part) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
    }
    return hash;
}

}  // namespace

std::uint64_t inode_number(const Node& node) {
    if (node.kind == NodeKind::root) return kRootInode;
    // Must equal the hash of node.key() (node.cpp).
    const auto hash = node.kind == NodeKind::tree_file ? fnv1a({"f:", node.path, "\n", node.file.sha256})
                      : node.immutable                 ? fnv1a({"d:", node.path, "\n", node.tree_version})
                                                       : fnv1a({"d:", node.path});
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
