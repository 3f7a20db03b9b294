// Reading views for `view list` and `view show`: members with their latest
// sync and package counts, the view's snapshots, and (for show) the
// effective package set's size and its file-name conflicts.
// Read-only; call reconcile_views() first. Thread safety: as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/tree/view_packages.h"

namespace chantal {

struct ViewMemberInfo {
    std::int64_t position = 0;
    std::string repo_id;
    std::optional<std::int64_t> last_sync_at;  // unset: never synced
    std::int64_t package_count = 0;            // in the member's latest state
    std::uint64_t package_bytes = 0;
};

struct ViewInfo {
    std::string name;
    std::string description;
    bool configured = true;  // false: removed from config, kept for its snapshots
    std::int64_t created_at = 0;
    std::vector<ViewMemberInfo> members;      // view order
    std::vector<std::string> snapshots;       // names, oldest first
    // Filled by show_view() only:
    std::int64_t package_count = 0;           // effective (union) package count of latest
    std::uint64_t package_bytes = 0;
    std::vector<ViewConflict> conflicts;      // file names shadowed by an earlier member
};

// Every view in the catalogue, by name (without the effective set).
std::vector<ViewInfo> list_views(Database& database);
// One view with its effective latest package set. Throws Error::not_found.
ViewInfo show_view(Database& database, const std::string& name);

}  // namespace chantal
