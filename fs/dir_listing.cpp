#include "fs/dir_listing.h"

#include <dirent.h>
#include <linux/fuse.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "fs/inode_table.h"

namespace chantal::fs {
namespace {

std::string_view last_component(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
}

std::size_t string_heap(const std::string& text) {
    return text.capacity() > 15 ? text.capacity() + 1 : 0;  // beyond the small-string buffer
}

std::size_t node_heap(const Node& node) {
    return sizeof(Node) + string_heap(node.path) + string_heap(node.owner) + string_heap(node.tree.owner) +
           string_heap(node.tree.snapshot) + string_heap(node.tree_path) + string_heap(node.tree_version) +
           string_heap(node.file.sha256) + string_heap(node.file.filename);
}

}  // namespace

std::shared_ptr<const DirListing> DirListing::make(std::vector<Node> children) {
    std::shared_ptr<DirListing> listing(new DirListing);
    listing->nodes_ = std::move(children);
    const auto count = listing->nodes_.size();
    listing->inodes_.reserve(count);
    listing->record_offsets_.reserve(count + 1);
    std::size_t total = 0;
    for (const auto& node : listing->nodes_) total += FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + last_component(node.path).size());
    if (total > std::numeric_limits<std::uint32_t>::max()) throw Error::internal("directory listing too large");
    listing->records_.assign(total, '\0');
    std::size_t at = 0;
    std::size_t heap = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const auto& node = listing->nodes_[index];
        const auto name = last_component(node.path);
        const auto inode = inode_number(node);
        listing->inodes_.push_back(inode);
        listing->record_offsets_.push_back(static_cast<std::uint32_t>(at));
        fuse_dirent record{};
        record.ino = inode;
        record.off = index + 1;
        record.namelen = static_cast<std::uint32_t>(name.size());
        record.type = node.is_directory() ? DT_DIR : DT_REG;
        std::memcpy(listing->records_.data() + at, &record, FUSE_NAME_OFFSET);
        std::memcpy(listing->records_.data() + at + FUSE_NAME_OFFSET, name.data(), name.size());
        at += FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + name.size());
        heap += node_heap(node);
    }
    listing->record_offsets_.push_back(static_cast<std::uint32_t>(at));
    listing->memory_bytes_ = sizeof(DirListing) + heap + listing->records_.size() +
                             count * (sizeof(std::uint64_t) + sizeof(std::uint32_t));
    return listing;
}

std::string_view DirListing::name(std::size_t index) const {
    const char* record = records_.data() + record_offsets_[index];
    std::uint32_t length = 0;
    std::memcpy(&length, record + offsetof(fuse_dirent, namelen), sizeof(length));
    return {record + FUSE_NAME_OFFSET, length};
}

std::optional<std::size_t> DirListing::find(std::string_view wanted) const {
    std::size_t low = 0;
    std::size_t high = size();
    while (low < high) {
        const auto middle = low + (high - low) / 2;
        if (name(middle) < wanted) low = middle + 1;
        else high = middle;
    }
    if (low < size() && name(low) == wanted) return low;
    return std::nullopt;
}

std::span<const char> DirListing::records(std::size_t first, std::size_t max_bytes) const {
    if (first >= size()) return {};
    const auto begin = record_offsets_[first];
    // The last entry whose record ends within max_bytes of begin.
    const auto end_it = std::upper_bound(record_offsets_.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                                         record_offsets_.end(), begin + max_bytes) - 1;
    return {records_.data() + begin, static_cast<std::size_t>(*end_it - begin)};
}

}  // namespace chantal::fs
