// The children of one directory, computed once and then served to any number
// of readdir, readdirplus and lookup requests without touching the catalogue.
//
// A listing keeps the plain readdir records already packed in the kernel's
// format (struct fuse_dirent, <linux/fuse.h>), back to back, so that a readdir
// reply at any offset is one contiguous slice of memory: no per-entry work.
// Two kinds:
//  - full (make): also the child nodes (attributes for readdirplus, nodes the
//    inode table shares);
//  - names only (make_names): records alone, numbered by ChildInodeNumbers
//    (inode_table.h), built from names (and in `latest` the content digest)
//    without the pool files; a plain readdir (ls -f, find) needs nothing more. Callers
//    that need nodes build the full listing, which has the same entries, in
//    the same order, with the same inode numbers.
//
// Offsets: the readdir offset of entry i is i; the record of entry i carries
// i + 1, the offset to continue from.
//
// Thread safety: immutable after make*() (but for an atomic counter); share
// it as std::shared_ptr<const DirListing>. A NameList belongs to one thread;
// it is scratch memory that callers reuse between listings (clear()), so
// that listing large directories does not fault in fresh pages each time.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fs/node.h"

namespace chantal::fs {

// Names collected for make_names(), in any order.
class NameList {
public:
    // content_id, or when it is 0 content_sha256: what tells a file's bytes
    // apart, required for files of `latest` directories (ChildInodeNumbers),
    // else may be unset.
    void add(std::string_view name, bool is_directory, std::int64_t content_id = 0,
             std::string_view content_sha256 = {});
    std::size_t size() const { return entries_.size(); }
    // Forgets every name; keeps the memory unless it is larger than
    // kKeptBytes (one huge directory does not pin its scratch for ever).
    void clear();
    static constexpr std::size_t kKeptBytes = 16u << 20;

private:
    friend class DirListing;
    struct Entry {
        std::int64_t content_id;
        std::uint32_t offset;  // into text_: the name, then the content digest
        std::uint32_t length;  // of the name
        std::uint32_t content_length;
        bool is_directory;
    };
    std::string text_;
    std::vector<Entry> entries_;
};

class DirListing {
public:
    // `children` must be sorted by name (node_name) without duplicates.
    static std::shared_ptr<const DirListing> make(std::vector<Node> children);
    // The children of tree directory `directory` by name (no duplicates;
    // `names` is sorted here, and may be cleared and reused afterwards).
    static std::shared_ptr<const DirListing> make_names(const Node& directory, NameList& names);

    std::size_t size() const { return record_offsets_.size() - 1; }
    // False for a names-only listing: node() must not be called.
    bool has_nodes() const { return has_nodes_; }
    const Node& node(std::size_t index) const { return nodes_[index]; }
    std::uint64_t inode(std::size_t index) const;
    std::string_view name(std::size_t index) const;
    bool is_directory(std::size_t index) const;
    // The index of the child called `name`; nullopt when there is none.
    std::optional<std::size_t> find(std::string_view name) const;
    // The packed readdir records of entries first, first + 1, ... that fit in
    // `max_bytes` (empty at or past the end, or when not even one fits).
    std::span<const char> records(std::size_t first, std::size_t max_bytes) const;
    // Counts a lookup answered by the entry's own row because this listing
    // has names only; true once `limit` such lookups were counted (the
    // directory is being walked: worth a full listing). Any thread.
    bool count_row_lookup(std::uint32_t limit) const { return ++row_lookups_ >= limit; }
    // Approximate heap bytes held (for the cache's budget).
    std::size_t memory_bytes() const { return memory_bytes_; }

private:
    DirListing() = default;
    // Packs records for `count` entries; entry_at(i) gives {name, is_directory, inode}.
    template <typename EntryAt>
    void pack(std::size_t count, const EntryAt& entry_at);
    bool has_nodes_ = false;
    std::vector<Node> nodes_;
    std::unique_ptr<char[]> records_;                // record_offsets_.back() bytes
    std::vector<std::uint32_t> record_offsets_{0};  // size() + 1 entries; the last is the records' size
    std::size_t memory_bytes_ = 0;
    mutable std::atomic<std::uint32_t> row_lookups_{0};  // the one mutable member
};

}  // namespace chantal::fs
