// What an inode of the mount stands for. The top of the mount is the layout
// of design.md §2 (repos/ID/{latest,snapshots/NAME}, views/V/...); below a
// tree root every node is a directory or a file of that tree (core/tree/tree.h).
#pragma once

#include <cstdint>
#include <string>

#include "core/tree/tree.h"

namespace chantal::fs {

enum class NodeKind {
    root,            // /
    repos,           // /repos
    repo,            // /repos/ID
    repo_snapshots,  // /repos/ID/snapshots
    views,           // /views
    view,            // /views/V
    view_snapshots,  // /views/V/snapshots
    tree_dir,        // a directory of a tree (tree_path "" is the tree's root)
    tree_file,       // a file of a tree, backed by a pool file
};

struct Node {
    NodeKind kind = NodeKind::root;
    std::string path;     // mount-relative, "" for the root: "repos/base/latest/Packages"
    std::string owner;    // repo id or view name (repo, view and *_snapshots kinds)
    TreeAddress tree;         // tree_dir, tree_file
    std::string tree_path;  // path inside the tree
    std::string tree_version;  // TreeState::version when the node was made
    PoolFile file;        // tree_file
    bool immutable = false;  // inside a snapshot: contents never change
    std::int64_t mtime = 0;

    bool is_directory() const { return kind != NodeKind::tree_file; }
    // The identity inode numbers derive from: the path, plus the snapshot's
    // identity (tree_version) inside snapshots, plus the content's sha256 for
    // files of `latest` trees. The same bytes under an unchanged tree keep
    // their key; new bytes at a path of `latest` get a new one.
    std::string key() const;
};

}  // namespace chantal::fs
