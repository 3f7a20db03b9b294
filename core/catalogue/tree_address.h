// Which tree: the one address type of the tree model (design.md §2).
//
//   repos/ID/latest/            TreeAddress::repo_latest(ID)
//   repos/ID/snapshots/NAME/    TreeAddress::repo_snapshot(ID, NAME)
//   views/V/latest/             TreeAddress::view_latest(V)
//   views/V/snapshots/NAME/     TreeAddress::view_snapshot(V, NAME)
//
// A TreeAddress names a tree by its owner (repo id or view name) and its
// snapshot; a latest tree has an empty snapshot. It is a plain value that
// says nothing about whether the tree exists: locate_tree() finds its
// catalogue rows, resolve_tree() (core/tree/tree.h) its contents.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"

namespace chantal {

// The word that names a repository's or view's current state in the CLI and the tree.
inline constexpr std::string_view kLatestName = "latest";

enum class TreeKind { repo_latest, repo_snapshot, view_latest, view_snapshot };

struct TreeAddress {
    TreeKind kind = TreeKind::repo_latest;
    std::string owner;     // repo id or view name
    std::string snapshot;  // snapshot name; "" for latest

    static TreeAddress repo_latest(std::string repo_id) { return {TreeKind::repo_latest, std::move(repo_id), {}}; }
    static TreeAddress repo_snapshot(std::string repo_id, std::string name) {
        return {TreeKind::repo_snapshot, std::move(repo_id), std::move(name)};
    }
    static TreeAddress view_latest(std::string view) { return {TreeKind::view_latest, std::move(view), {}}; }
    static TreeAddress view_snapshot(std::string view, std::string name) {
        return {TreeKind::view_snapshot, std::move(view), std::move(name)};
    }
    // A repository's (or view's) tree by the name the CLI takes: "" and
    // "latest" mean the latest tree, anything else a snapshot.
    static TreeAddress of_repository(std::string repo_id, std::string_view snapshot_name);
    static TreeAddress of_view(std::string view, std::string_view snapshot_name);

    bool is_latest() const { return kind == TreeKind::repo_latest || kind == TreeKind::view_latest; }
    bool is_view() const { return kind == TreeKind::view_latest || kind == TreeKind::view_snapshot; }
    // "latest" for a latest tree, else the snapshot's name.
    std::string_view snapshot_name() const { return is_latest() ? kLatestName : std::string_view(snapshot); }
    // The tree's place in the layout: "repos/ID/latest", "views/V/snapshots/N".
    std::string path() const;
    // "repository 'base' snapshot '2025-06'", "view 'all' latest".
    std::string describe() const;
    bool operator==(const TreeAddress&) const = default;
};

// One membership table a tree reads from: a repo's latest rows
// (repository_contents) or a snapshot's rows (snapshot_contents).
struct TreeSource {
    enum class Table { repository_contents, snapshot_contents };
    Table table = Table::repository_contents;
    std::int64_t key = 0;  // repositories.id or snapshots.id
};

// The catalogue rows of a tree.
struct TreeRows {
    std::int64_t owner_row = 0;     // repositories.id, or views.id for view trees
    std::int64_t snapshot_row = 0;  // snapshots.id or view_snapshots.id; 0 for latest
};

// Finds the rows of a tree. Throws Error::not_found naming the repository
// ("... is not in the catalogue (never synced)"), the view or the snapshot
// that is missing. A view must be in the catalogue (reconcile views first).
TreeRows locate_tree(Database& database, const TreeAddress& tree);
// locate_tree for commands that need a snapshot: a latest tree is
// Error::invalid_input ("'latest' is the view's current state, not a snapshot").
TreeRows locate_snapshot(Database& database, const TreeAddress& tree);

}  // namespace chantal
