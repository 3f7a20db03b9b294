#include "fs/inode_table.h"

#include <charconv>

#include "core/base/error.h"

namespace chantal::fs {

namespace {

std::uint64_t avoid_reserved(std::uint64_t hash) { return hash <= kRootInode ? hash + 2 : hash; }

// Feeds what tells a `latest` file's bytes apart, as Node::key() spells it:
// "#<content_id>", or the sha256 when there is no content row.
KeyHash& feed_content(KeyHash& hash, std::int64_t content_id, std::string_view content_sha256) {
    if (content_id == 0) return hash.feed(content_sha256);
    char digits[24] = {'#'};
    const auto end = std::to_chars(digits + 1, digits + sizeof digits, content_id).ptr;
    return hash.feed(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

}  // namespace

std::uint64_t inode_number(const Node& node) {
    if (node.kind == NodeKind::root) return kRootInode;
    // Must equal key_hash(node.key()) (node.cpp), hashed in place rather than joined.
    KeyHash hash;
    if (node.kind == NodeKind::tree_file) {
        hash.feed("f:").feed(node.path).feed("\n");
        if (node.immutable) hash.feed(node.tree_version);
        else feed_content(hash, node.content_id, node.file.sha256);
    } else if (node.kind == NodeKind::tree_dir) {
        hash.feed("d:").feed(node.path).feed("\n").feed(node.tree_version);
    } else {
        hash.feed("d:").feed(node.path);
    }
    return avoid_reserved(hash.value());
}

ChildInodeNumbers::ChildInodeNumbers(const Node& directory)
    : file_prefix_(KeyHash().feed("f:").feed(directory.path).feed("/")),
      directory_prefix_(KeyHash().feed("d:").feed(directory.path).feed("/")),
      suffix_("\n" + directory.tree_version),
      files_by_content_(!directory.immutable) {
    if (directory.kind != NodeKind::tree_dir)
        throw Error::internal("children of " + directory.path + " are not numbered by name alone");
}

std::uint64_t ChildInodeNumbers::operator()(std::string_view name, bool is_directory, std::int64_t content_id,
                                            std::string_view content_sha256) const {
    if (is_directory) return avoid_reserved(KeyHash(directory_prefix_).feed(name).feed(suffix_).value());
    if (!files_by_content_) return avoid_reserved(KeyHash(file_prefix_).feed(name).feed(suffix_).value());
    if (content_id == 0 && content_sha256.empty())
        throw Error::internal("a file of a latest tree is numbered by its content");
    KeyHash hash(file_prefix_);
    return avoid_reserved(feed_content(hash.feed(name).feed("\n"), content_id, content_sha256).value());
}

std::uint32_t inode_generation(const Node& node) {
    if (node.kind != NodeKind::tree_file) return 0;
    const auto& digest = node.file.sha256;
    std::uint32_t generation = 0;
    if (digest.size() < 8 || std::from_chars(digest.data(), digest.data() + 8, generation, 16).ptr != digest.data() + 8)
        return 0;
    return generation;
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

std::vector<std::uint64_t> InodeTable::top_directories() const {
    std::vector<std::uint64_t> result;
    std::lock_guard lock(mutex_);
    for (const auto& [inode, entry] : entries_)
        if (!entry.node->in_tree()) result.push_back(inode);
    return result;
}

std::vector<std::uint64_t> InodeTable::latest_parents() const {
    std::vector<std::uint64_t> result;
    std::lock_guard lock(mutex_);
    for (const auto& [inode, entry] : entries_)
        if (entry.node->kind == NodeKind::repo || entry.node->kind == NodeKind::view) result.push_back(inode);
    return result;
}

std::size_t InodeTable::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace chantal::fs
