// The children of one directory, computed once and then served to any number
// of readdir, readdirplus and lookup requests without touching the catalogue.
//
// Besides the nodes (sorted by name) and their inode numbers, a listing keeps
// the plain readdir records already packed in the kernel's format (struct
// fuse_dirent, <linux/fuse.h>), back to back, so that a readdir reply at any
// offset is one contiguous slice of memory: no per-entry work.
//
// Offsets: the readdir offset of entry i is i; the record of entry i carries
// i + 1, the offset to continue from.
//
// Thread safety: immutable after make(); share it as
// std::shared_ptr<const DirListing>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fs/node.h"

namespace chantal::fs {

class DirListing {
public:
    // `children` must be sorted by name (node_name) without duplicates.
    static std::shared_ptr<const DirListing> make(std::vector<Node> children);

    std::size_t size() const { return nodes_.size(); }
    const Node& node(std::size_t index) const { return nodes_[index]; }
    std::uint64_t inode(std::size_t index) const { return inodes_[index]; }
    std::string_view name(std::size_t index) const;
    // The index of the child called `name`; nullopt when there is none.
    std::optional<std::size_t> find(std::string_view name) const;
    // The packed readdir records of entries first, first + 1, ... that fit in
    // `max_bytes` (empty at or past the end, or when not even one fits).
    std::span<const char> records(std::size_t first, std::size_t max_bytes) const;
    // Approximate heap bytes held (for the cache's budget).
    std::size_t memory_bytes() const { return memory_bytes_; }

private:
    DirListing() = default;
    std::vector<Node> nodes_;
    std::vector<std::uint64_t> inodes_;
    std::vector<char> records_;
    std::vector<std::uint32_t> record_offsets_;  // size() + 1 entries; the last is records_.size()
    std::size_t memory_bytes_ = 0;
};

}  // namespace chantal::fs
