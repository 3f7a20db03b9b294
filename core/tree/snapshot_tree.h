// Which tree a command means, and what a package looks like inside a tree.
//
// A tree is one of the four of design.md §2: a repository's latest state, one
// of its snapshots, a view's latest state (the union of its members' latest
// states) or a view snapshot. TreeRef names one by catalogue row ids; it is
// a plain value, valid as long as the rows exist. TreePackage is one package
// file of a tree with what listing, diffing, the FUSE tree and export need.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"

namespace chantal {

enum class TreeKind { repository_latest, repository_snapshot, view_latest, view_snapshot };

struct TreeRef {
    TreeKind kind = TreeKind::repository_latest;
    std::int64_t owner_row = 0;     // repositories.id, or views.id for view trees
    std::int64_t snapshot_row = 0;  // snapshots.id or view_snapshots.id; 0 for latest
    std::string owner_name;         // repo id or view name
    std::string snapshot_name;      // "latest" for latest

    bool is_view() const { return kind == TreeKind::view_latest || kind == TreeKind::view_snapshot; }
    bool is_latest() const { return kind == TreeKind::repository_latest || kind == TreeKind::view_latest; }
    // "repository 'base' snapshot '2025-06'", "view 'all' latest".
    std::string describe() const;
};

// The word that names a repository's or view's current state in the CLI and the tree.
inline constexpr std::string_view kLatestName = "latest";

// Resolves "latest" or a snapshot name of a repository. Throws
// Error::not_found naming the repository or the snapshot.
TreeRef resolve_repository_tree(Database& database, const std::string& repo_id, std::string_view snapshot_name);
// Same for a view (which must be in the catalogue: reconcile views first).
TreeRef resolve_view_tree(Database& database, const std::string& view, std::string_view snapshot_name);

struct TreePackage {
    std::int64_t package_id = 0;
    std::int64_t content_id = 0;
    std::string name;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    std::string arch;
    std::string sha256;     // of the file (pool content)
    std::string filename;   // pool file name (the RPM file name)
    std::uint64_t size = 0; // bytes of the file
    std::string path;       // path in the tree: upstream href in a repo, Packages/x/<file> in a view
    std::string repo_id;    // the repository that provides it (a view's member)

    std::string evr() const;    // "[E:]V-R", epoch shown only when non-zero
    std::string nevra() const;  // "name-[E:]V-R.arch"
};

// The SQL select list read_tree_package() expects, over the aliases
// t (repository_contents or snapshot_contents), p (packages),
// c (content_items) and r (repositories).
inline constexpr std::string_view kTreePackageColumns =
    "t.package_id, t.content_id, p.name, p.epoch, p.version, p.release, p.arch, c.sha256, c.filename, c.size, "
    "t.path, r.repo_id";
inline constexpr int kTreePackageColumnCount = 12;
// Reads the kTreePackageColumns of the current row, starting at first_column.
TreePackage read_tree_package(const Statement& row, int first_column = 0);

// "[E:]V-R" for the given fields.
std::string format_evr(std::uint64_t epoch, std::string_view version, std::string_view release);

}  // namespace chantal
