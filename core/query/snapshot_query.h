// Reading snapshots for `snapshot list` and `snapshot show`: counts, sizes,
// dates, descriptions, and which view snapshots use a repository snapshot.
// Read-only. Thread safety: as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct ViewSnapshotName {
    std::string view;
    std::string name;
};

struct SnapshotInfo {
    std::int64_t snapshot_row = 0;
    std::string repo_id;
    std::string name;
    std::string description;
    std::int64_t created_at = 0;  // unix seconds
    bool generated_tree = false;  // false: served as a mirror tree (upstream repodata)
    std::optional<std::string> repomd_sha256;  // upstream repomd.xml it froze
    std::int64_t package_count = 0;
    std::uint64_t package_bytes = 0;
    std::int64_t metadata_count = 0;          // repodata files (mirror trees)
    std::vector<ViewSnapshotName> used_by;    // view snapshots it is a member of
};

struct ViewSnapshotMemberInfo {
    std::int64_t position = 0;
    std::string repo_id;
    std::string snapshot_name;
    std::int64_t package_count = 0;
    std::uint64_t package_bytes = 0;
};

struct ViewSnapshotInfo {
    std::int64_t view_snapshot_row = 0;
    std::string view;
    std::string name;
    std::string description;
    std::int64_t created_at = 0;
    std::vector<ViewSnapshotMemberInfo> members;  // view order
    // What the view snapshot serves (the view union: a file several members
    // hold counts once, a shadowed one not at all), so at most the sum of
    // the members' counts.
    std::int64_t package_count = 0;
    std::uint64_t package_bytes = 0;
};

// Snapshots of one repository (or of all when repo_id is unset), by repo id
// then creation time. Throws Error::not_found for a repo_id not in the catalogue.
std::vector<SnapshotInfo> list_repository_snapshots(Database& database, const std::optional<std::string>& repo_id);
SnapshotInfo show_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name);

// Snapshots of one view (or of all views), by view then creation time.
std::vector<ViewSnapshotInfo> list_view_snapshots(Database& database, const std::optional<std::string>& view);
ViewSnapshotInfo show_view_snapshot(Database& database, const std::string& view, const std::string& name);

}  // namespace chantal
