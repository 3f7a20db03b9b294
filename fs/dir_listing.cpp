#include "fs/dir_listing.h"

#include <dirent.h>
#include <linux/fuse.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/base/error.h"
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

struct PackedEntry {
    std::string_view name;
    bool is_directory;
    std::uint64_t inode;
};

fuse_dirent header_at(const char* record) {
    fuse_dirent header{};
    std::memcpy(&header, record, FUSE_NAME_OFFSET);
    return header;
}

}  // namespace

void NameList::add(std::string_view name, bool is_directory, std::int64_t content_id, std::string_view content_sha256) {
    if (text_.size() + name.size() + content_sha256.size() > std::numeric_limits<std::uint32_t>::max())
        throw Error::internal("directory listing too large");
    entries_.push_back({content_id, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(name.size()),
                        static_cast<std::uint32_t>(content_sha256.size()), is_directory});
    text_.append(name);
    text_.append(content_sha256);
}

void NameList::clear() {
    if (text_.capacity() + entries_.capacity() * sizeof(Entry) > kKeptBytes) {
        text_ = std::string();
        entries_ = std::vector<Entry>();
        return;
    }
    text_.clear();
    entries_.clear();
}

template <typename EntryAt>
void DirListing::pack(std::size_t count, const EntryAt& entry_at) {
    std::size_t total = 0;
    for (std::size_t index = 0; index < count; ++index)
        total += FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + entry_at(index).name.size());
    if (total > std::numeric_limits<std::uint32_t>::max()) throw Error::internal("directory listing too large");
    // Written once, record by record (no zero fill first: the pages are
    // touched once).
    records_ = std::make_unique_for_overwrite<char[]>(total);
    record_offsets_.clear();
    record_offsets_.reserve(count + 1);
    char* at = records_.get();
    for (std::size_t index = 0; index < count; ++index) {
        const PackedEntry entry = entry_at(index);
        record_offsets_.push_back(static_cast<std::uint32_t>(at - records_.get()));
        fuse_dirent record{};
        record.ino = entry.inode;
        record.off = index + 1;
        record.namelen = static_cast<std::uint32_t>(entry.name.size());
        record.type = entry.is_directory ? DT_DIR : DT_REG;
        std::memcpy(at, &record, FUSE_NAME_OFFSET);
        std::memcpy(at + FUSE_NAME_OFFSET, entry.name.data(), entry.name.size());
        const std::size_t length = FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + entry.name.size());
        std::memset(at + FUSE_NAME_OFFSET + entry.name.size(), 0, length - FUSE_NAME_OFFSET - entry.name.size());
        at += length;
    }
    record_offsets_.push_back(static_cast<std::uint32_t>(total));
    memory_bytes_ = sizeof(DirListing) + total + record_offsets_.size() * sizeof(std::uint32_t);
}

std::shared_ptr<const DirListing> DirListing::make(std::vector<Node> children) {
    std::shared_ptr<DirListing> listing(new DirListing);
    listing->has_nodes_ = true;
    listing->nodes_ = std::move(children);
    const auto& nodes = listing->nodes_;
    listing->pack(nodes.size(), [&](std::size_t index) {
        const auto& node = nodes[index];
        return PackedEntry{last_component(node.path), node.is_directory(), inode_number(node)};
    });
    for (const auto& node : nodes) listing->memory_bytes_ += node_heap(node);
    return listing;
}

std::shared_ptr<const DirListing> DirListing::make_names(const Node& directory, NameList& names) {
    const ChildInodeNumbers numbers(directory);
    const auto name_of = [&](const NameList::Entry& entry) {
        return std::string_view(names.text_).substr(entry.offset, entry.length);
    };
    auto& entries = names.entries_;
    const auto by_name = [&](const NameList::Entry& a, const NameList::Entry& b) { return name_of(a) < name_of(b); };
    // Range scans come in path order, which is name order unless a
    // subdirectory's name is a prefix of a sibling's ("a/" sorts after "a-1").
    if (!std::is_sorted(entries.begin(), entries.end(), by_name)) std::sort(entries.begin(), entries.end(), by_name);
    std::shared_ptr<DirListing> listing(new DirListing);
    listing->pack(entries.size(), [&](std::size_t index) {
        const auto& entry = entries[index];
        const auto name = name_of(entry);
        const auto content = std::string_view(names.text_).substr(entry.offset + entry.length, entry.content_length);
        return PackedEntry{name, entry.is_directory, numbers(name, entry.is_directory, entry.content_id, content)};
    });
    return listing;
}

std::uint64_t DirListing::inode(std::size_t index) const {
    return header_at(records_.get() + record_offsets_[index]).ino;
}

std::string_view DirListing::name(std::size_t index) const {
    const char* record = records_.get() + record_offsets_[index];
    std::uint32_t length = 0;
    std::memcpy(&length, record + offsetof(fuse_dirent, namelen), sizeof(length));
    return {record + FUSE_NAME_OFFSET, length};
}

bool DirListing::is_directory(std::size_t index) const {
    return header_at(records_.get() + record_offsets_[index]).type == DT_DIR;
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
    return {records_.get() + begin, static_cast<std::size_t>(*end_it - begin)};
}

}  // namespace chantal::fs
