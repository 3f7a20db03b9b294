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
    std::int64_t content_id = 0;  // tree_file: its content row, 0 when its entry names none (TreeEntry)
    bool immutable = false;  // inside a snapshot: the tree's rows never change
    bool retired = false;    // a file of a previous state of a moved `latest` (grace period)
    std::int64_t mtime = 0;

    bool is_directory() const { return kind != NodeKind::tree_file; }
    bool in_tree() const { return kind == NodeKind::tree_dir || kind == NodeKind::tree_file; }
    // The root directory of a `latest` tree: the one node inside trees whose
    // name (repos/ID/latest) switches to another node when latest moves.
    bool is_latest_root() const { return kind == NodeKind::tree_dir && tree_path.empty() && tree.is_latest(); }
    // The identity inode numbers derive from: the path, plus the tree's
    // version for directories (a directory of one tree version lists the
    // same entries for ever), plus for files the snapshot's version inside
    // snapshots or, in `latest` trees, the content row ("#<content_id>") or
    // else the content's sha256 (the same bytes at the same path keep their
    // inode when latest moves; new bytes get a new one, and a content row id
    // reused for other bytes gets a new generation: inode_generation()).
    std::string key() const;
};

}  // namespace chantal::fs
