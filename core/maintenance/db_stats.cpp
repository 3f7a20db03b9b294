#include "core/maintenance/db_stats.h"

#include <sys/stat.h>

#include <string>
#include <vector>

#include "core/catalogue/content_references.h"
#include "core/catalogue/view_union.h"

namespace chantal {

std::uint64_t file_size_or_zero(const std::filesystem::path& file) {
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0) return 0;
    return static_cast<std::uint64_t>(status.st_size);
}

namespace {

// The bytes the views' latest trees and view snapshots serve (the view
// union: a file several members hold counts once, a shadowed one not at all).
std::uint64_t served_view_bytes(Database& database) {
    std::vector<TreeAddress> trees;
    Statement views(database, "SELECT name FROM views ORDER BY name");
    while (views.step()) trees.push_back(TreeAddress::view_latest(views.column_text(0)));
    Statement snapshots(database,
                        "SELECT v.name, s.name FROM view_snapshots s JOIN views v ON v.id = s.view_id ORDER BY v.name, s.name");
    while (snapshots.step()) trees.push_back(TreeAddress::view_snapshot(snapshots.column_text(0), snapshots.column_text(1)));
    std::uint64_t bytes = 0;
    for (const auto& tree : trees)
        for_each_view_union_package(database, view_members(database, tree),
                                    [&](const TreePackage& package) { bytes += package.size; });
    return bytes;
}

}  // namespace

CatalogueStats collect_catalogue_stats(Database& database, const Pool& pool) {
    CatalogueStats stats;
    stats.repositories = database.query_int64("SELECT count(*) FROM repositories");
    stats.snapshots = database.query_int64("SELECT count(*) FROM snapshots");
    stats.views = database.query_int64("SELECT count(*) FROM views");
    stats.view_snapshots = database.query_int64("SELECT count(*) FROM view_snapshots");
    stats.packages = database.query_int64("SELECT count(*) FROM packages");
    stats.packages_in_pool = database.query_int64("SELECT count(*) FROM packages WHERE content_id IS NOT NULL");
    stats.content_items = database.query_int64("SELECT count(*) FROM content_items");
    stats.content_bytes = static_cast<std::uint64_t>(database.query_int64("SELECT coalesce(sum(size), 0) FROM content_items"));
    stats.referenced_bytes = static_cast<std::uint64_t>(database.query_int64(
        "SELECT coalesce(sum(size), 0) FROM content_items WHERE id IN (" + std::string(kReferencedContentIdsSql) + ")"));
    stats.logical_bytes = static_cast<std::uint64_t>(database.query_int64(
        "SELECT (SELECT coalesce(sum(i.size), 0) FROM repository_contents c JOIN content_items i ON i.id = c.content_id)"
        " + (SELECT coalesce(sum(i.size), 0) FROM snapshot_contents c JOIN content_items i ON i.id = c.content_id)"
        " + (SELECT coalesce(sum(i.size), 0) FROM generated_metadata g JOIN content_items i ON i.id = g.content_id)")) +
        served_view_bytes(database);
    stats.deduplicated_bytes =
        stats.logical_bytes > stats.referenced_bytes ? stats.logical_bytes - stats.referenced_bytes : 0;

    const PoolStats walked = pool.stats();
    stats.pool_files = walked.files;
    stats.pool_bytes = walked.bytes;

    stats.catalogue_bytes = file_size_or_zero(database.file());
    stats.catalogue_wal_bytes = file_size_or_zero(database.file().string() + "-wal");
    return stats;
}

}  // namespace chantal
