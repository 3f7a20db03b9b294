// Inode numbers and the nodes the kernel knows about.
//
// An inode number is the 64-bit key_hash (key_hash.h) of Node::key(): stable for the
// daemon's lifetime (and across remounts) without a table that grows with
// every name ever looked up. The table holds only nodes the kernel has a
// lookup count on; forget() drops them at zero. Nodes are held by
// shared_ptr: children remembered from a directory listing share the
// listing's memory (an aliasing pointer) instead of copying it.
//
// Thread safety: all members may be called from any thread. mutex_ is a leaf
// lock.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fs/key_hash.h"
#include "fs/node.h"

namespace chantal::fs {

inline constexpr std::uint64_t kRootInode = 1;

std::uint64_t inode_number(const Node& node);

// The generation the kernel gets with a node's inode number: for a tree file
// the first 32 bits of its sha256, else 0. A `latest` file is numbered by its
// content row (node.h), and a row id freed by pool cleanup may be reused for
// other bytes at the same path; the kernel then sees the known number with
// another generation and drops the stale inode and its cached pages. 32 bits:
// the kernel keeps a 32-bit i_generation (a wider value never compares
// equal).
std::uint32_t inode_generation(const Node& node);

// Inode numbers of the children of one tree directory by name (and, in
// `latest`, a file's content row or digest) alone, equal to inode_number()
// of the child nodes (node.h). Hashes the directory's part of the key once.
class ChildInodeNumbers {
public:
    // `directory`: a tree_dir (else Error::internal).
    explicit ChildInodeNumbers(const Node& directory);
    // For files of a `latest` tree content_id (Node::content_id) or, when it
    // is 0, content_sha256 is required (else Error::internal); both are
    // ignored otherwise.
    std::uint64_t operator()(std::string_view name, bool is_directory, std::int64_t content_id = 0,
                             std::string_view content_sha256 = {}) const;

private:
    KeyHash file_prefix_;       // fed "f:<path>/"
    KeyHash directory_prefix_;  // fed "d:<path>/"
    std::string suffix_;        // "\n<tree_version>"
    bool files_by_content_;     // a `latest` tree: files are numbered by their bytes
};

class InodeTable {
public:
    InodeTable();
    // Records the node (replacing an older node with the same number) and
    // adds one kernel lookup reference. Returns its inode number.
    std::uint64_t remember(const Node& node);
    // The same for a node that is already shared, with its number.
    void remember(std::shared_ptr<const Node> node, std::uint64_t inode);
    // The node of `inode`; nullptr when the kernel does not know it.
    std::shared_ptr<const Node> find(std::uint64_t inode) const;
    void forget(std::uint64_t inode, std::uint64_t count);
    // Inode numbers of the known directories above the trees (root, repos,
    // repos/ID, .../snapshots, views, ...), whose listings follow the
    // catalogue: the watcher invalidates them when it changes.
    std::vector<std::uint64_t> top_directories() const;
    // Inode numbers of the known repos/ID and views/V directories, whose
    // `latest` entry the watcher expires when the catalogue changes.
    std::vector<std::uint64_t> latest_parents() const;
    std::size_t size() const;

private:
    struct Entry {
        std::shared_ptr<const Node> node;
        std::uint64_t lookups = 0;
    };
    mutable std::mutex mutex_;  // leaf
    std::unordered_map<std::uint64_t, Entry> entries_;
};

}  // namespace chantal::fs
