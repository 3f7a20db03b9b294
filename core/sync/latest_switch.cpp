#include "core/sync/latest_switch.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/catalogue/tree_address.h"
#include "core/pool/content_records.h"
#include "core/tree/retired_files.h"

namespace chantal {
namespace {

// Records every file of the current latest whose path will no longer name
// the same content as retired, and forgets the tree's retirements older
// than the grace period. Caller's transaction.
void retire_replaced_files(Database& database, const RepositoryConfig& repository, std::int64_t repository_row,
                           const std::vector<LatestEntry>& entries, std::int64_t now, int grace_period_seconds) {
    const std::string tree_path = TreeAddress::repo_latest(repository.id).path();
    forget_retired_files(database, tree_path, now - grace_period_seconds);
    std::unordered_map<std::string_view, std::int64_t> staying;
    staying.reserve(entries.size());
    for (const auto& entry : entries) staying.emplace(entry.path, entry.content_id);
    RetiredFileRecorder retired(database);
    Statement current = database.prepare("SELECT path, content_id FROM repository_contents WHERE repository_id = ?1");
    current.bind(1, repository_row);
    while (current.step()) {
        const std::string_view path = current.column_text_view(0);
        const std::int64_t content_id = current.column_int64(1);
        auto it = staying.find(path);
        if (it != staying.end() && it->second == content_id) continue;
        retired.record(tree_path, path, content_id, now);
    }
}

}  // namespace

std::vector<LatestEntry> latest_entries(const PackageFormat& format, const UpstreamIndexes& indexes,
                                        const PackageSelection& selection, Database& database,
                                        std::vector<std::string>& warnings) {
    std::vector<LatestEntry> entries;
    std::map<std::string, std::optional<std::int64_t>> paths;  // tree path -> package id (none for index files)
    ContentRecorder contents(database);
    for (const auto& file : indexes.files) {
        if (!paths.emplace(file.path, std::nullopt).second) continue;
        entries.push_back({file.path, contents.find(file.pool_entry.sha256)->id, std::nullopt, "metadata", file.metadata_type});
    }
    std::size_t duplicates = 0;
    for (const UpstreamPackage* package : selection.packages) {
        std::string path = latest_package_path(format, selection, *package);
        auto [at, inserted] = paths.emplace(path, package->package_id);
        if (!inserted) {
            if (at->second != package->package_id) ++duplicates;
            continue;
        }
        entries.push_back({std::move(path), *package->content_id, package->package_id, "package", std::nullopt});
    }
    if (duplicates > 0)
        warnings.push_back(std::to_string(duplicates) + " package(s) share a path with another package; the first is kept");
    return entries;
}

std::unordered_set<std::int64_t> latest_package_ids(Database& database, std::int64_t repository_row) {
    std::unordered_set<std::int64_t> ids;
    Statement query = database.prepare(
        "SELECT package_id FROM repository_contents WHERE repository_id = ?1 AND role = 'package'");
    query.bind(1, repository_row);
    while (query.step()) ids.insert(query.column_int64(0));
    return ids;
}

bool latest_matches(Database& database, std::int64_t repository_row, std::vector<LatestEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](const LatestEntry& a, const LatestEntry& b) { return a.path < b.path; });
    Statement query = database.prepare(
        "SELECT path, content_id, package_id, role, metadata_type FROM repository_contents WHERE repository_id = ?1 "
        "ORDER BY path");
    query.bind(1, repository_row);
    std::size_t index = 0;
    for (; query.step(); ++index) {
        if (index >= entries.size()) return false;
        const LatestEntry& entry = entries[index];
        if (query.column_text(0) != entry.path || query.column_int64(1) != entry.content_id ||
            query.column_optional_int64(2) != entry.package_id || query.column_text(3) != entry.role ||
            query.column_optional_text(4) != entry.metadata_type)
            return false;
    }
    return index == entries.size();
}

SyncCounts switch_latest(Database& database, const RepositoryConfig& repository, std::int64_t repository_row,
                         const std::vector<LatestEntry>& entries, std::int64_t now, int grace_period_seconds) {
    retire_replaced_files(database, repository, repository_row, entries, now, grace_period_seconds);
    const auto before = latest_package_ids(database, repository_row);
    SyncCounts counts;
    std::unordered_set<std::int64_t> after;
    for (const auto& entry : entries)
        if (entry.package_id) after.insert(*entry.package_id);
    for (auto id : after) (before.count(id) ? counts.packages_unchanged : counts.packages_added)++;
    for (auto id : before)
        if (!after.count(id)) ++counts.packages_removed;

    database.prepare("DELETE FROM repository_contents WHERE repository_id = ?1").bind(1, repository_row).run();
    Statement insert = database.prepare(
        "INSERT INTO repository_contents (repository_id, path, content_id, package_id, role, metadata_type) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& entry : entries)
        insert.bind(1, repository_row)
            .bind(2, entry.path)
            .bind(3, entry.content_id)
            .bind(4, entry.package_id)
            .bind(5, entry.role)
            .bind(6, entry.metadata_type)
            .run();
    database
        .prepare("UPDATE repositories SET latest_changed_at = max(?2, coalesce(latest_changed_at, 0) + 1) WHERE id = ?1")
        .bind(1, repository_row)
        .bind(2, now)
        .run();
    return counts;
}

}  // namespace chantal
