// Creating snapshots: freezing a repository's latest state, a view's members
// all at once, and copying a snapshot under a new name (promotion).
//
// A snapshot copies membership rows only (no file copies): every row of the
// repository's latest tree, packages and metadata alike, so a mirror repo's
// snapshot keeps upstream's repodata files and serves the same bytes; plus
// the repository's generated_tree flag and upstream repomd.xml digest. After
// creation a snapshot is never modified (syncs only rewrite
// repository_contents). Each function runs in its own transaction and
// either completes or leaves the catalogue as it was.
//
// A view snapshot takes one repo snapshot of every member, named
// view_member_snapshot_name(view, name) = "<view>-<name>", in one
// transaction: atomic across repositories. If any member cannot be
// snapshotted (never synced, name taken) nothing is created.
//
// Thread safety: as Database (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct SnapshotCreated {
    std::int64_t snapshot_row = 0;
    std::string repo_id;
    std::string name;
    std::int64_t package_count = 0;
    std::int64_t file_count = 0;  // packages + metadata files
};

struct ViewSnapshotCreated {
    std::int64_t view_snapshot_row = 0;
    std::string view;
    std::string name;
    std::vector<SnapshotCreated> members;  // in view order
};

// Throws Error::invalid_input (bad name), Error::not_found (repository not in
// the catalogue or never synced), Error::already_exists (name taken).
SnapshotCreated create_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name,
                                           const std::string& description);
// The view must be in the catalogue (reconcile_views first).
ViewSnapshotCreated create_view_snapshot(Database& database, const std::string& view, const std::string& name,
                                         const std::string& description);

// A new snapshot `target` with the same files, generated_tree and repomd
// digest as `source`, created now; its description is `description` or,
// when unset, the source's.
SnapshotCreated copy_repository_snapshot(Database& database, const std::string& repo_id, const std::string& source,
                                         const std::string& target,
                                         const std::optional<std::string>& description = std::nullopt);
// A new view snapshot `target` whose members are copies of source's member
// snapshots, named "<view>-<target>", same positions; description as above.
ViewSnapshotCreated copy_view_snapshot(Database& database, const std::string& view, const std::string& source,
                                       const std::string& target,
                                       const std::optional<std::string>& description = std::nullopt);

}  // namespace chantal
