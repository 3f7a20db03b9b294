#include "core/sync/sync.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/url.h"
#include "core/catalogue/catalogue_reserve.h"
#include "core/catalogue/repository_records.h"
#include "core/download/download_settings.h"
#include "core/pool/content_records.h"
#include "core/sync/package_fetch.h"
#include "core/sync/package_filter.h"
#include "core/sync/pool_repair.h"
#include "core/sync/rpm/errata_load.h"
#include "core/sync/rpm/metadata_loader.h"
#include "core/sync/rpm/upstream_metadata.h"
#include "core/sync/sync_history.h"
#include "core/sync/sync_lock.h"
#include "core/tree/retired_files.h"
#include "core/tree/tree_packages.h"
#include "metadata/rpm/href.h"

namespace chantal {
namespace {

// Equal keys mean "nothing to do": same upstream repomd.xml, same mode and
// filters as the last successful sync.
std::string sync_key(const std::string& repomd_sha256, const RepositoryConfig& repository) {
    const RepositoryFilters& filters = repository.filters;
    nlohmann::json description = {
        {"repomd", repomd_sha256},
        {"mode", repository_mode_name(repository.mode)},
        {"include", filters.patterns.include},
        {"exclude", filters.patterns.exclude},
        {"arch_include", filters.architectures.include},
        {"arch_exclude", filters.architectures.exclude},
        {"no_source", filters.exclude_source_rpms},
        {"latest", filters.only_latest_version},
        {"latest_n", filters.only_latest_n_versions},
    };
    return sha256_hex(description.dump());
}

struct RepositoryState {
    std::int64_t row = 0;
    std::optional<std::string> last_sync_key;
    std::int64_t latest_entries = 0;
};

RepositoryState load_state(Database& database, const RepositoryConfig& repository) {
    RepositoryState state;
    {
        Transaction transaction(database);
        state.row = upsert_repository(database, repository);
        transaction.commit();
    }
    Statement query = database.prepare(
        "SELECT last_sync_key, (SELECT count(*) FROM repository_contents WHERE repository_id = ?1) "
        "FROM repositories WHERE id = ?1");
    query.bind(1, state.row);
    query.step();
    state.last_sync_key = query.column_optional_text(0);
    state.latest_entries = query.column_int64(1);
    return state;
}

struct TreeEntry {
    std::string path;
    std::int64_t content_id = 0;
    std::optional<std::int64_t> package_id;
    std::string role;
    std::optional<std::string> metadata_type;
};

// The packages of the new latest, and whether it must be a generated tree.
struct Selection {
    std::vector<CataloguedPackage*> packages;
    bool generated_tree = false;
    std::vector<std::string> warnings;
};

Selection select_packages(const RepositoryConfig& repository, std::vector<CataloguedPackage>& catalogued,
                          bool metadata_leaves_tree) {
    Selection selection;
    selection.generated_tree = repository.mode == RepositoryMode::filtered || metadata_leaves_tree;
    if (metadata_leaves_tree)
        selection.warnings.push_back("repomd.xml lists metadata outside repodata/; serving a generated tree");
    std::vector<std::size_t> indexes;
    if (repository.mode == RepositoryMode::filtered) {
        indexes = PackageFilter(repository.filters).select(catalogued);
    } else {
        indexes.resize(catalogued.size());
        for (std::size_t i = 0; i < catalogued.size(); ++i) indexes[i] = i;
    }
    std::size_t outside = 0;
    std::string first_outside;
    for (std::size_t index : indexes) {
        CataloguedPackage& package = catalogued[index];
        const auto classification = metadata::classify_href(package.location_href, package.location_base, repository.feed);
        if (classification.kind == metadata::HrefKind::refused)
            throw Error::invalid_input("repo " + repository.id + ": package " + package.nevra() +
                                       " has a refused location: " + classification.reason);
        if (classification.kind == metadata::HrefKind::outside_tree && outside++ == 0)
            first_outside = package.nevra() + " (" + classification.reason + ")";
        selection.packages.push_back(&package);
    }
    if (outside > 0 && !selection.generated_tree) {
        selection.generated_tree = true;
        selection.warnings.push_back(std::to_string(outside) + " package location(s) leave the repository tree, e.g. " +
                                     first_outside + "; serving a generated tree instead of a mirror");
    }
    return selection;
}

std::vector<TreeEntry> tree_entries(const UpstreamMetadata& upstream, const Selection& selection, Database& database,
                                    std::vector<std::string>& warnings) {
    std::vector<TreeEntry> entries;
    std::map<std::string, std::optional<std::int64_t>> paths;  // tree path -> package id (none for metadata)
    ContentRecorder contents(database);
    for (const auto& file : upstream.files) {
        if (!paths.emplace(file.path, std::nullopt).second) continue;
        entries.push_back({file.path, contents.find(file.pool_entry.sha256)->id, std::nullopt, "metadata", file.metadata_type});
    }
    // A package primary lists more than once (one file at several hrefs) is
    // served at each of its hrefs in a mirror; in a generated tree its
    // entries meet at one path, where it is kept once without a warning.
    std::size_t duplicates = 0;
    for (const CataloguedPackage* package : selection.packages) {
        std::string path = selection.generated_tree ? metadata::generated_tree_path(package->file_name())
                                                    : package->location_href;
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

// Records every file of the current latest whose path will no longer name
// the same content as retired (retired_files.h), and forgets the tree's
// retirements older than the grace period. Caller's transaction.
void retire_replaced_files(Database& database, const RepositoryConfig& repository, std::int64_t repository_row,
                           const std::vector<TreeEntry>& entries, std::int64_t now, int grace_period_seconds) {
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

// Replaces latest in the caller's transaction; returns (added, removed, unchanged).
SyncCounts switch_latest(Database& database, std::int64_t repository_row, const std::vector<TreeEntry>& entries) {
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
    return counts;
}

// True when latest holds exactly these entries (a sync with upstream
// unchanged that only fetched missing pool files keeps latest as it is).
bool latest_matches(Database& database, std::int64_t repository_row, std::vector<TreeEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
    Statement query = database.prepare(
        "SELECT path, content_id, package_id, role, metadata_type FROM repository_contents WHERE repository_id = ?1 "
        "ORDER BY path");
    query.bind(1, repository_row);
    std::size_t index = 0;
    for (; query.step(); ++index) {
        if (index >= entries.size()) return false;
        const TreeEntry& entry = entries[index];
        if (query.column_text(0) != entry.path || query.column_int64(1) != entry.content_id ||
            query.column_optional_int64(2) != entry.package_id || query.column_text(3) != entry.role ||
            query.column_optional_text(4) != entry.metadata_type)
            return false;
    }
    return index == entries.size();
}

// How many of the damaged files are intact now; names one that is not.
std::int64_t count_restored(const Pool& pool, const std::vector<BadContent>& damaged, std::string& still_bad) {
    std::int64_t restored = 0;
    std::size_t bad_count = 0;
    for (const BadContent& bad : damaged) {
        if (!check_pool_file(pool, {bad.content_id, bad.sha256, bad.filename, bad.expected_size}, false)) {
            ++restored;
        } else if (bad_count++ == 0) {
            still_bad = bad.holders.empty() ? bad.path.string() : tree_path_of(bad.holders.front());
        }
    }
    if (bad_count > 0)
        still_bad = std::to_string(bad_count) + " pool file(s) of latest are still missing or damaged, e.g. " +
                    still_bad + "; run repo sync --repair";
    return restored;
}

std::string refetch_message(std::int64_t refetched) {
    return "re-fetched " + std::to_string(refetched) + " pool file(s) of latest that were missing or had the wrong size";
}

struct MetadataPackages {
    UpstreamMetadata upstream;
    std::vector<CataloguedPackage> packages;
};

// Fetches the selected metadata and catalogues primary (+ filelists, other).
MetadataPackages fetch_and_catalogue(Downloader& downloader, Database& database, const Pool& pool,
                                     const RepositoryConfig& repository, UpstreamRepomd repomd,
                                     const MetadataSelection& selection, SyncObserver& observer) {
    MetadataPackages result;
    result.upstream = fetch_upstream_metadata(downloader, database, pool, repository, std::move(repomd), selection, observer);
    const UpstreamMetadataFile* primary = result.upstream.find("primary");
    if (!primary)
        throw Error::invalid_input("repo " + repository.id + ": repomd.xml lists no primary metadata");
    auto to_load = [&](const UpstreamMetadataFile* file) -> std::optional<MetadataFileToLoad> {
        if (!file) return std::nullopt;
        return MetadataFileToLoad{file->pool_entry.path, repository.id + ": " + file->path, file->open_size};
    };
    observer.stage(repository.id, "reading package metadata");
    Transaction transaction(database);
    result.packages = load_package_metadata(database, *to_load(primary), to_load(result.upstream.find("filelists")),
                                            to_load(result.upstream.find("other")));
    if (const UpstreamMetadataFile* updateinfo = result.upstream.find("updateinfo"))
        load_updateinfo(database, ContentRecorder(database).find(updateinfo->pool_entry.sha256)->id, *to_load(updateinfo));
    transaction.commit();
    return result;
}

// A sync writes to the catalogue only while the catalogue's space reserve
// exists, so that it can record its failure on a full file system. No room
// for the reserve: the sync fails before writing anything (Error, no space).
// Any other trouble with it (permissions): a warning, and the sync goes on.
void keep_reserve(const CatalogueReserve& reserve, const std::string& repo_id, SyncObserver& observer,
                  SyncReport& report) {
    try {
        reserve.ensure();
    } catch (const Error& error) {
        if (error.is_no_space()) throw;
        const std::string warning = std::string(error.what()) + "; a failure on a full disk may go unrecorded";
        observer.warning(repo_id, warning);
        report.warnings.push_back(warning);
    }
}

// record_sync_failure() for an attempt that may not have its repository's
// row yet (repository_row 0): looks it up; a repository without one has
// nothing to record against.
void record_failure(Database& database, const CatalogueReserve& reserve, const std::string& repo_id,
                    std::int64_t repository_row, std::optional<std::int64_t> record, const SyncCounts& counts,
                    const std::optional<std::string>& repomd_sha256, const std::string& message) noexcept {
    try {
        if (repository_row == 0) repository_row = find_repository_row(database, repo_id).value_or(0);
    } catch (const std::exception&) {
        return;
    }
    if (repository_row != 0)
        record_sync_failure(database, reserve, repository_row, record, counts, repomd_sha256, message);
}

std::string summarize_failures(const std::vector<std::string>& failures) {
    std::string text;
    const std::size_t shown = std::min<std::size_t>(failures.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) text += "\n  " + failures[i];
    if (failures.size() > shown) text += "\n  ... and " + std::to_string(failures.size() - shown) + " more";
    return text;
}

}  // namespace

SyncReport sync_repository(const Config& config, const RepositoryConfig& repository, Database& database,
                           const Pool& pool, const SyncOptions& options, SyncObserver& observer) {
    const auto started = std::chrono::steady_clock::now();
    FileLock lock(sync_lock_path(pool.temp_root(), repository.id), "a sync of repo " + repository.id);
    SyncReport report;
    report.repo_id = repository.id;
    const CatalogueReserve reserve(database.file());
    keep_reserve(reserve, repository.id, observer, report);
    RepositoryState state;
    std::optional<std::int64_t> record;
    std::optional<std::string> repomd_sha256;
    SyncCounts counts;
    try {
        state = load_state(database, repository);
        close_interrupted_syncs(database, state.row);
        record = begin_sync_record(database, state.row);
        Downloader downloader(download_options_for(config, repository, options.workers));
        observer.stage(repository.id, "fetching repomd.xml from " + redact_url(repository.feed));
        UpstreamRepomd repomd = fetch_repomd(downloader, repository);
        repomd_sha256 = repomd.sha256;
        const std::string key = sync_key(repomd.sha256, repository);
        const bool unchanged = state.last_sync_key == key && state.latest_entries > 0;
        std::vector<BadContent> damaged;
        if (unchanged) {
            observer.stage(repository.id, "checking the pool files of latest");
            damaged = damaged_pool_files(database, pool, state.row, RepairScope::latest, false);
            if (!damaged.empty())
                observer.stage(repository.id, std::to_string(damaged.size()) +
                                                  " pool file(s) of latest are missing or have the wrong size; "
                                                  "fetching them again");
        }
        if (unchanged && damaged.empty()) {
            Transaction transaction(database);
            database.prepare("UPDATE repositories SET last_sync_at = ?2 WHERE id = ?1")
                .bind(1, state.row)
                .bind(2, unix_time_now())
                .run();
            counts.packages_unchanged = static_cast<std::int64_t>(latest_package_ids(database, state.row).size());
            finish_sync_record(database, *record, "up_to_date", counts, repomd_sha256, "");
            transaction.commit();
            report.up_to_date = true;
            report.packages_total = report.packages_unchanged = counts.packages_unchanged;
            report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return report;
        }

        MetadataPackages loaded =
            fetch_and_catalogue(downloader, database, pool, repository, std::move(repomd), MetadataSelection{}, observer);
        Selection selection = select_packages(repository, loaded.packages, loaded.upstream.paths_leave_tree);
        for (const auto& warning : selection.warnings) {
            observer.warning(repository.id, warning);
            report.warnings.push_back(warning);
        }
        PackageFetchResult fetched =
            fetch_packages(downloader, database, pool, repository, selection.packages, observer, options.cancel);
        report.files_downloaded = fetched.files_downloaded + loaded.upstream.files_downloaded;
        report.bytes_downloaded = fetched.bytes_downloaded + loaded.upstream.bytes_downloaded;
        counts.files_downloaded = report.files_downloaded;
        counts.bytes_downloaded = static_cast<std::int64_t>(report.bytes_downloaded);
        if (fetched.cancelled)
            throw Error::network("repo " + repository.id + ": sync interrupted; latest is unchanged, the next sync resumes");
        if (!fetched.failures.empty())
            throw Error::network("repo " + repository.id + ": " + std::to_string(fetched.failures.size()) +
                                 " package(s) could not be fetched; latest is unchanged:" +
                                 summarize_failures(fetched.failures));

        auto entries = tree_entries(loaded.upstream, selection, database, report.warnings);
        std::string message;
        if (unchanged) {
            std::string still_bad;
            report.files_refetched = count_restored(pool, damaged, still_bad);
            message = refetch_message(report.files_refetched);
            if (!still_bad.empty()) {
                observer.warning(repository.id, still_bad);
                report.warnings.push_back(still_bad);
            }
        }
        Transaction transaction(database);
        const std::int64_t now = unix_time_now();
        if (unchanged && latest_matches(database, state.row, entries)) {
            // Only pool files came back: latest, and its change time (which
            // generated repodata is stamped with), stay as they are.
            counts.packages_unchanged = static_cast<std::int64_t>(latest_package_ids(database, state.row).size());
            database.prepare("UPDATE repositories SET last_sync_at = ?2 WHERE id = ?1")
                .bind(1, state.row)
                .bind(2, now)
                .run();
        } else {
            observer.stage(repository.id, "switching latest");
            retire_replaced_files(database, repository, state.row, entries, now, config.storage.metadata_grace_period);
            SyncCounts switched = switch_latest(database, state.row, entries);
            counts.packages_added = switched.packages_added;
            counts.packages_removed = switched.packages_removed;
            counts.packages_unchanged = switched.packages_unchanged;
            database
                .prepare("UPDATE repositories SET last_repomd_sha256 = ?2, last_sync_key = ?3, last_sync_at = ?4, "
                         "generated_tree = ?5, latest_changed_at = ?4 WHERE id = ?1")
                .bind(1, state.row)
                .bind(2, *repomd_sha256)
                .bind(3, key)
                .bind(4, now)
                .bind(5, selection.generated_tree ? 1 : 0)
                .run();
        }
        finish_sync_record(database, *record, "success", counts, repomd_sha256, message);
        transaction.commit();

        report.generated_tree = selection.generated_tree;
        report.packages_added = counts.packages_added;
        report.packages_removed = counts.packages_removed;
        report.packages_unchanged = counts.packages_unchanged;
        report.packages_total = counts.packages_added + counts.packages_unchanged;
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return report;
    } catch (const std::exception& error) {
        // An attempt that failed before its 'running' row is recorded too,
        // once its repository has a row. If even this cannot be written, the
        // error below says why, and the row left 'running' (if any) is stale
        // as soon as the lock goes (sync_history.h).
        const bool ours = dynamic_cast<const Error*>(&error) != nullptr;
        record_failure(database, reserve, repository.id, state.row, record, counts, repomd_sha256,
                       redact_urls_in_text(ours ? error.what() : std::string("unexpected failure: ") + error.what()));
        throw;
    }
}

UpdateCheck check_repository_updates(const Config& config, const RepositoryConfig& repository, Database& database,
                                     const Pool& pool, const SyncOptions& options, SyncObserver& observer) {
    RepositoryState state = load_state(database, repository);
    UpdateCheck check;
    check.repo_id = repository.id;
    Downloader downloader(download_options_for(config, repository, options.workers));
    observer.stage(repository.id, "fetching repomd.xml from " + redact_url(repository.feed));
    UpstreamRepomd repomd = fetch_repomd(downloader, repository);
    if (state.last_sync_key == sync_key(repomd.sha256, repository) && state.latest_entries > 0) {
        check.up_to_date = true;
        return check;
    }
    MetadataSelection primary_only{false, {"primary"}};
    MetadataPackages loaded =
        fetch_and_catalogue(downloader, database, pool, repository, std::move(repomd), primary_only, observer);
    Selection selection = select_packages(repository, loaded.packages, loaded.upstream.paths_leave_tree);

    const TreeAddress latest = TreeAddress::repo_latest(repository.id);
    std::vector<TreePackage> upstream;
    // Package by package: one that primary lists at several hrefs counts (and is
    // fetched) once; as in tree_entries, the first package at a path is kept.
    std::unordered_set<std::string> paths;
    std::unordered_set<std::int64_t> listed;
    ContentRecorder contents(database);
    for (const CataloguedPackage* package : selection.packages) {
        std::string path = selection.generated_tree ? metadata::generated_tree_path(package->file_name())
                                                    : package->location_href;
        if (!paths.insert(path).second || !listed.insert(package->package_id).second) continue;
        TreePackage entry;
        entry.package_id = package->package_id;
        entry.content_id = package->content_id.value_or(0);
        entry.name = package->name;
        entry.epoch = package->epoch;
        entry.version = package->version;
        entry.release = package->release;
        entry.arch = package->arch;
        // The file's sha256 when the pool has it; else upstream's pkgid, tagged
        // with its type unless it is a sha256 (then it is the file's sha256).
        if (auto content = package->content_id ? contents.find_by_id(*package->content_id) : std::nullopt)
            entry.sha256 = content->sha256;
        else if (package->checksum_algorithm == HashAlgorithm::sha256)
            entry.sha256 = package->checksum;
        else
            entry.sha256 = std::string(hash_algorithm_name(package->checksum_algorithm)) + ":" + package->checksum;
        entry.filename = package->file_name();
        entry.size = package->package_size;
        entry.path = std::move(path);
        entry.repo_id = repository.id;
        if (!package->content_id) {
            ++check.download_files;
            check.download_bytes += package->package_size;
        }
        upstream.push_back(std::move(entry));
    }
    std::vector<TreePackage> current = list_tree_packages(database, latest);
    std::unordered_set<std::int64_t> current_ids;
    std::erase_if(current, [&](const TreePackage& package) { return !current_ids.insert(package.package_id).second; });
    check.changes = diff_package_sets(std::move(current), std::move(upstream));
    return check;
}

}  // namespace chantal
