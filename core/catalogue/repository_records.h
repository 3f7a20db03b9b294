// Catalogue rows for repositories: creating them from config and reading
// what the catalogue knows about one (for `repo list` / `repo show`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/catalogue/lookups.h"
#include "core/catalogue/sqlite.h"
#include "core/config/config.h"

namespace chantal {

struct RepositorySummary {
    bool in_catalogue = false;          // false: never synced or initialised
    std::int64_t package_count = 0;     // packages in latest
    std::uint64_t package_bytes = 0;    // their total size
    std::int64_t snapshot_count = 0;
    std::optional<std::int64_t> last_sync_at;            // last successful (or up-to-date) sync
    std::optional<std::string> last_sync_status;          // of the newest sync attempt
    std::optional<std::int64_t> last_attempt_at;
    std::optional<std::string> last_sync_message;
    bool packages_verified = false;  // every package of latest passed verify.gpgcheck
    // The installer tree of latest (installer_tree.h): its files (.treeinfo
    // included; 0: none) and their total size, and whether generated trees
    // and views serve it too.
    std::int64_t installer_files = 0;
    std::uint64_t installer_bytes = 0;
    bool installer_in_generated_trees = false;
};

// Inserts the repository row (with its format, the config's type) if
// missing, or updates name/feed/mode from the config. Returns the row id.
// Throws Error::conflict when the row has another format than the config's
// type. Call inside the caller's transaction.
std::int64_t upsert_repository(Database& database, const RepositoryConfig& repository);
RepositorySummary summarize_repository(Database& database, const std::string& repo_id);

}  // namespace chantal
