// Snapshot names: what a name may look like, and how the member snapshots of
// a view snapshot are named. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chantal {

// Longest snapshot name accepted, in bytes.
inline constexpr std::size_t kMaxSnapshotNameLength = 128;

// Throws Error::invalid_input unless name is usable for a new snapshot, as
// one directory name in the tree (repos/ID/snapshots/NAME) and in client
// URLs: non-empty, at most kMaxSnapshotNameLength bytes of [A-Za-z0-9._-],
// not ".", ".." or "latest" (which names the current state), and not
// starting with '-' (it would read as an option in shell commands).
// Snapshots made before this rule keep their names: only creating and
// copying check them.
void validate_snapshot_name(std::string_view name);

// The name of the repo snapshot that a view snapshot takes of each member:
// "<view>-<name>" (view "rhel9", snapshot "2025-06" -> "rhel9-2025-06"), so
// a view snapshot never collides with the repo's own snapshot of the same name.
std::string view_member_snapshot_name(std::string_view view, std::string_view name);

}  // namespace chantal
