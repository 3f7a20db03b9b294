#include "core/catalogue/repository_records.h"

#include "core/catalogue/installer_tree.h"

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/url.h"

namespace chantal {

std::int64_t upsert_repository(Database& database, const RepositoryConfig& repository) {
    Statement format = database.prepare("SELECT format FROM repositories WHERE repo_id = ?1");
    format.bind(1, repository.id);
    if (format.step() && format.column_text(0) != repository.type)
        throw Error::conflict("repo " + repository.id + " is catalogued as type " + format.column_text(0) +
                              " but the config says type " + repository.type +
                              "; a repository keeps its type (give the new one another id)");
    Statement upsert = database.prepare(
        "INSERT INTO repositories (repo_id, name, feed, mode, created_at, format) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (repo_id) DO UPDATE SET name = excluded.name, feed = excluded.feed, mode = excluded.mode");
    upsert.bind(1, repository.id)
        .bind(2, repository.name)
        .bind(3, redact_url(repository.feed))  // the catalogue never holds credentials
        .bind(4, repository_mode_name(repository.mode))
        .bind(5, unix_time_now())
        .bind(6, repository.type)
        .run();
    return *find_repository_row(database, repository.id);
}

RepositorySummary summarize_repository(Database& database, const std::string& repo_id) {
    RepositorySummary summary;
    Statement repository = database.prepare(
        "SELECT id, last_sync_at, packages_verified_by IS NOT NULL FROM repositories WHERE repo_id = ?1");
    repository.bind(1, repo_id);
    if (!repository.step()) return summary;
    summary.in_catalogue = true;
    const std::int64_t row = repository.column_int64(0);
    summary.last_sync_at = repository.column_optional_int64(1);
    summary.packages_verified = repository.column_int64(2) != 0;

    Statement packages = database.prepare(
        "SELECT count(*), coalesce(sum(c.size), 0) FROM repository_contents r JOIN content_items c ON c.id = r.content_id "
        "WHERE r.repository_id = ?1 AND r.role = 'package'");
    packages.bind(1, row);
    packages.step();
    summary.package_count = packages.column_int64(0);
    summary.package_bytes = static_cast<std::uint64_t>(packages.column_int64(1));

    Statement installer = database.prepare(
        "SELECT count(*), coalesce(sum(c.size), 0), coalesce(min(r.metadata_type = ?2), 0) FROM repository_contents r "
        "JOIN content_items c ON c.id = r.content_id WHERE r.repository_id = ?1 AND r.role = 'metadata' "
        "AND r.metadata_type IN (?2, ?3)");
    installer.bind(1, row).bind(2, kInstallerTreeType).bind(3, kInstallerTreeMirrorOnlyType);
    installer.step();
    summary.installer_files = installer.column_int64(0);
    summary.installer_bytes = static_cast<std::uint64_t>(installer.column_int64(1));
    summary.installer_in_generated_trees = installer.column_int64(2) != 0;

    Statement snapshots = database.prepare("SELECT count(*) FROM snapshots WHERE repository_id = ?1");
    snapshots.bind(1, row);
    snapshots.step();
    summary.snapshot_count = snapshots.column_int64(0);

    Statement history = database.prepare(
        "SELECT status, started_at, message FROM sync_history WHERE repository_id = ?1 ORDER BY id DESC LIMIT 1");
    history.bind(1, row);
    if (history.step()) {
        summary.last_sync_status = history.column_text(0);
        summary.last_attempt_at = history.column_int64(1);
        summary.last_sync_message = history.column_text(2);
    }
    return summary;
}

}  // namespace chantal
