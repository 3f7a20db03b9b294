#include "core/sync/sync.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/url.h"
#include "core/catalogue/background_checkpoint.h"
#include "core/catalogue/catalogue_reserve.h"
#include "core/catalogue/package_details.h"
#include "core/catalogue/repository_records.h"
#include "core/download/download_settings.h"
#include "core/pool/content_records.h"
#include "core/sync/latest_switch.h"
#include "core/sync/package_fetch.h"
#include "core/sync/package_selection.h"
#include "core/sync/pool_repair.h"
#include "core/sync/retained_packages.h"
#include "core/sync/sync_history.h"
#include "core/sync/sync_lock.h"
#include "core/tree/package_format.h"
#include "core/tree/tree_packages.h"

namespace chantal {
namespace {

// Equal keys mean "nothing to do": same upstream top index (and extra
// index: RPM's .treeinfo, UpstreamFeed::extra_index_sha256), same mode,
// filters and retention as the last successful sync. (The field is named
// "repomd" so that keys stay equal across releases: an upgrade does not
// force a full sync; a filter enters the key only when it is set, for the
// same reason.) build_time.last_n_days enters as its cutoff, so the
// selection is made again once a day. A `verify:` change (keys, checks,
// client key name) makes the next sync a full one, so that what latest
// holds was checked as configured now.
std::string sync_key(const UpstreamFeed& feed, const RepositoryConfig& repository, const UpstreamTrust* trust,
                     std::int64_t now) {
    const std::string& index_sha256 = feed.index_sha256();
    const RepositoryFilters& filters = repository.filters;
    nlohmann::json description = {
        {"repomd", index_sha256},
        {"mode", repository_mode_name(repository.mode)},
        {"include", filters.patterns.include},
        {"exclude", filters.patterns.exclude},
        {"arch_include", filters.architectures.include},
        {"arch_exclude", filters.architectures.exclude},
        {"no_source", filters.exclude_source_rpms},
        {"latest", filters.only_latest_version},
        {"latest_n", filters.only_latest_n_versions},
    };
    if (const std::string extra = feed.extra_index_sha256(); !extra.empty()) description["extra_index"] = extra;
    if (filters.size_bytes.min) description["size_min"] = *filters.size_bytes.min;
    if (filters.size_bytes.max) description["size_max"] = *filters.size_bytes.max;
    if (auto earliest = earliest_build_time(filters.build_time, now)) description["built_from"] = *earliest;
    if (filters.build_time.older_than) description["built_until"] = *filters.build_time.older_than;
    auto add_lists = [&](const char* key, const IncludeExclude& lists) {
        if (!lists.empty()) description[key] = {lists.include, lists.exclude};
    };
    add_lists("groups", filters.groups);
    add_lists("licenses", filters.licenses);
    add_lists("vendors", filters.vendors);
    if (!filters.epochs.empty()) description["epochs"] = {filters.epochs.include, filters.epochs.exclude};
    if (!filters.deb_priorities.empty()) description["deb_priorities"] = filters.deb_priorities;
    if (!filters.deb_sections.empty()) description["deb_sections"] = filters.deb_sections;
    if (repository.retention.policy != RetentionPolicy::mirror)
        description["retention"] = {retention_policy_name(repository.retention.policy), repository.retention.keep_count};
    if (trust) {
        const VerifySettings& verify = trust->settings();
        description["verify"] = {{"keys", trust->keys_digest()},
                                 {"repo_gpgcheck", verify.repo_gpgcheck},
                                 {"gpgcheck", verify.gpgcheck},
                                 {"on_missing", signature_problem_action_name(verify.on_missing_signature)},
                                 {"on_invalid", signature_problem_action_name(verify.on_invalid_signature)},
                                 {"client_key_name", verify.client_key_name}};
    }
    return sha256_hex(description.dump());
}

// auth.cert_dir: which entitlement pair this sync uses (a stage line).
void announce_client_certificate(const Config& config, const RepositoryConfig& repository,
                                 const DownloadOptions& download, SyncObserver& observer) {
    if (!config.tls.merged_with(repository.tls).client_cert_dir) return;
    observer.stage(repository.id, "client certificate " + download.tls.client_cert + " with key " +
                                      download.tls.client_key + " (the newest pair in auth.cert_dir)");
}

// A reader of what the repository's filters need beyond the row's columns.
PackageDetailsReader details_reader(Database& database, const RepositoryConfig& repository) {
    return PackageDetailsReader(database, !repository.filters.deb_priorities.empty());
}

PackageDetailsLookup details_lookup(PackageDetailsReader& reader) {
    return [&reader](const UpstreamPackage& package) { return reader.read(package.package_id); };
}

struct RepositoryState {
    std::int64_t row = 0;
    std::optional<std::string> last_sync_key;
    std::int64_t latest_entries = 0;
    bool generated_tree = false;  // of the current latest
    // UpstreamTrust::keys_digest of the keys that checked every package of
    // the current latest (verify.gpgcheck); nullopt: not checked.
    std::optional<std::string> packages_verified_by;
};

RepositoryState load_state(Database& database, const RepositoryConfig& repository) {
    RepositoryState state;
    {
        Transaction transaction(database);
        state.row = upsert_repository(database, repository);
        transaction.commit();
    }
    Statement query = database.prepare(
        "SELECT last_sync_key, (SELECT count(*) FROM repository_contents WHERE repository_id = ?1), generated_tree, "
        "packages_verified_by FROM repositories WHERE id = ?1");
    query.bind(1, state.row);
    query.step();
    state.last_sync_key = query.column_optional_text(0);
    state.latest_entries = query.column_int64(1);
    state.generated_tree = query.column_int64(2) != 0;
    state.packages_verified_by = query.column_optional_text(3);
    return state;
}

// The packages of a repository's latest, each once (a package listed at
// several paths counts once, as in latest_entries).
std::vector<TreePackage> latest_packages(Database& database, const std::string& repo_id) {
    std::vector<TreePackage> packages = list_tree_packages(database, TreeAddress::repo_latest(repo_id));
    std::unordered_set<std::int64_t> seen;
    std::erase_if(packages, [&](const TreePackage& package) { return !seen.insert(package.package_id).second; });
    return packages;
}

// How many of the damaged files are intact now; names one that is not.
std::int64_t count_restored(const Pool& pool, const std::vector<BadContent>& damaged, std::string& still_bad) {
    std::int64_t restored = 0;
    std::size_t bad_count = 0;
    for (const BadContent& bad : damaged) {
        if (!check_pool_file(pool, bad, false)) {
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

// What a sync read from upstream: the index files in the pool and the
// packages they list, catalogued.
struct UpstreamRead {
    UpstreamIndexes indexes;
    std::vector<UpstreamPackage> packages;
};

// The read stage: fetches the index files of `scope` and catalogues their
// packages in one transaction.
UpstreamRead read_upstream(UpstreamFeed& feed, Database& database, const Pool& pool, IndexScope scope,
                           SyncObserver& observer) {
    UpstreamRead read;
    read.indexes = feed.fetch_indexes(database, pool, scope, observer);
    Transaction transaction(database);
    read.packages = feed.catalogue_packages(database, read.indexes, observer);
    transaction.commit();
    return read;
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

// The up-to-date stage: upstream and config unchanged and every pool file
// of latest there; latest stays as it is.
void record_up_to_date(Database& database, std::int64_t repository_row, std::int64_t record,
                       const std::string& index_sha256, SyncReport& report) {
    SyncCounts counts;
    Transaction transaction(database);
    database.prepare("UPDATE repositories SET last_sync_at = ?2 WHERE id = ?1")
        .bind(1, repository_row)
        .bind(2, unix_time_now())
        .run();
    counts.packages_unchanged = static_cast<std::int64_t>(latest_package_ids(database, repository_row).size());
    finish_sync_record(database, record, "up_to_date", counts, index_sha256, "");
    transaction.commit();
    report.up_to_date = true;
    report.packages_total = report.changes.unchanged = counts.packages_unchanged;
}

void add_warnings(const std::vector<std::string>& warnings, const std::string& repo_id, SyncObserver& observer,
                  SyncReport& report) {
    for (const auto& warning : warnings) {
        observer.warning(repo_id, warning);
        report.warnings.push_back(warning);
    }
}

// Throws unless every selected package is in the pool now.
void require_all_fetched(const RepositoryConfig& repository, const PackageFetchResult& fetched) {
    if (!fetched.rejected.empty())
        throw Error::invalid_input("repo " + repository.id + ": " + std::to_string(fetched.rejected.size()) +
                                   " package(s) failed the signature check (verify.gpgcheck) and were not pooled; "
                                   "latest is unchanged:" +
                                   summarize_failures(fetched.rejected));
    if (fetched.cancelled)
        throw Error::network("repo " + repository.id + ": sync interrupted; latest is unchanged, the next sync resumes");
    if (!fetched.failures.empty())
        throw Error::network("repo " + repository.id + ": " + std::to_string(fetched.failures.size()) +
                             " package(s) could not be fetched; latest is unchanged:" +
                             summarize_failures(fetched.failures));
}

// The switch stage, in one transaction with the sync record: the new latest
// replaces the old one, or — upstream unchanged and the same entries (only
// pool files came back) — latest and its change time (which generated
// index files are stamped with) stay as they are.
// Returns what changed in latest, as `snapshot diff` would tell it.
TreeDiff commit_latest(const Config& config, const RepositoryConfig& repository, Database& database,
                       std::int64_t repository_row, std::int64_t record, const std::string& index_sha256,
                       const std::string& key, bool unchanged, const PackageSelection& selection,
                       const std::vector<LatestEntry>& entries, const std::string& message,
                       const std::optional<std::string>& packages_verified_by, SyncCounts& counts,
                       SyncObserver& observer) {
    Transaction transaction(database);
    const std::int64_t now = unix_time_now();
    TreeDiff changes;
    if (unchanged && latest_matches(database, repository_row, entries)) {
        counts.packages_unchanged = static_cast<std::int64_t>(latest_package_ids(database, repository_row).size());
        changes.unchanged = counts.packages_unchanged;
        database.prepare("UPDATE repositories SET last_sync_at = ?2 WHERE id = ?1")
            .bind(1, repository_row)
            .bind(2, now)
            .run();
    } else {
        observer.stage(repository.id, "switching latest");
        std::vector<TreePackage> before = latest_packages(database, repository.id);
        const SyncCounts switched =
            switch_latest(database, repository, repository_row, entries, now, config.storage.metadata_grace_period);
        counts.packages_added = switched.packages_added;
        counts.packages_removed = switched.packages_removed;
        counts.packages_unchanged = switched.packages_unchanged;
        database
            .prepare("UPDATE repositories SET last_repomd_sha256 = ?2, last_sync_key = ?3, last_sync_at = ?4, "
                     "generated_tree = ?5 WHERE id = ?1")
            .bind(1, repository_row)
            .bind(2, index_sha256)
            .bind(3, key)
            .bind(4, now)
            .bind(5, selection.generated_tree ? 1 : 0)
            .run();
        changes = diff_package_sets(std::move(before), latest_packages(database, repository.id));
    }
    database.prepare("UPDATE repositories SET packages_verified_by = ?2 WHERE id = ?1")
        .bind(1, repository_row)
        .bind(2, packages_verified_by)
        .run();
    finish_sync_record(database, record, "success", counts, index_sha256, message);
    transaction.commit();
    return changes;
}

// verify.client_key_name: the trusted keys become a file at the tree root
// (an index file of the mirror tree; generated trees show it too).
void add_client_key(const UpstreamTrust& trust, Database& database, const Pool& pool, UpstreamIndexes& indexes) {
    const std::string& name = trust.settings().client_key_name;
    if (name.empty()) return;
    Transaction transaction(database);
    PoolEntry entry = pool.add_bytes(trust.keys().armored_public_keys(), name);
    ContentRecorder(database).record(entry, "metadata");
    transaction.commit();
    indexes.files.push_back({name, "client_key", std::move(entry), std::nullopt});
}

// The gpgcheck of a sync: every downloaded package, and every pooled one
// that joins latest unchecked by these keys, per the verify: policy.
class PackageSignaturePolicy {
public:
    PackageSignaturePolicy(const UpstreamTrust& trust, const UpstreamFeed& feed, const RepositoryState& state,
                           Database& database)
        : trust_(trust), feed_(feed) {
        if (state.packages_verified_by != trust.keys_digest()) return;  // latest unchecked: check everything
        checked_members_ = latest_package_ids(database, state.row);
    }

    PackageFileCheck check() {
        return {[this](const UpstreamPackage& package) { return !checked_members_.count(package.package_id); },
                [this](const std::filesystem::path& file) { return inspect(file); },
                [this](const UpstreamPackage& package, const SignatureProblem& problem) {
                    return verdict(package, problem);
                }};
    }
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    // Thread-safe (the feed's check is).
    std::optional<SignatureProblem> inspect(const std::filesystem::path& file) const noexcept {
        try {
            return feed_.package_signature_problem(file);
        } catch (const std::exception& error) {
            return SignatureProblem{false, error.what()};
        }
    }

    PackageFileVerdict verdict(const UpstreamPackage& package, const SignatureProblem& problem) {
        const std::string message = package.file_name() + ": " + problem.reason;
        switch (trust_.action_for(problem)) {
            case SignatureProblemAction::fail: return {PackageFileVerdict::Action::reject, message};
            case SignatureProblemAction::warn:
                warnings_.push_back(message + " (used unverified: " + trust_.policy_for(problem) + ")");
                return {};
            case SignatureProblemAction::skip:
                warnings_.push_back(message + " (left out: " + trust_.policy_for(problem) + ")");
                return {PackageFileVerdict::Action::leave_out, message};
        }
        return {};
    }

    const UpstreamTrust& trust_;
    const UpstreamFeed& feed_;
    std::unordered_set<std::int64_t> checked_members_;
    std::vector<std::string> warnings_;
};

std::optional<UpstreamTrust> open_trust(const RepositoryConfig& repository, const Pool& pool) {
    if (!repository.verify) return std::nullopt;
    return std::optional<UpstreamTrust>(std::in_place, repository, *repository.verify, pool.temp_root());
}

// A hosted repository has no upstream: nothing to sync or check.
void require_upstream(const RepositoryConfig& repository) {
    if (repository.mode == RepositoryMode::hosted)
        throw Error::invalid_input("repo " + repository.id +
                                   " is hosted (mode: hosted): it has no upstream to sync; its packages come from "
                                   "`chantal package upload`");
}

double seconds_since(std::chrono::steady_clock::time_point started) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

SyncReport sync_repository(const Config& config, const RepositoryConfig& repository, Database& database,
                           const Pool& pool, const SyncOptions& options, SyncObserver& observer) {
    require_upstream(repository);
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t now = unix_time_now();
    FileLock lock(sync_lock_path(pool.temp_root(), repository.id), "a sync of repo " + repository.id);
    SyncReport report;
    report.repo_id = repository.id;
    const CatalogueReserve reserve(database.file());
    keep_reserve(reserve, repository.id, observer, report);
    RepositoryState state;
    std::optional<std::int64_t> record;
    std::optional<std::string> index_sha256;
    SyncCounts counts;
    try {
        state = load_state(database, repository);
        close_interrupted_syncs(database, state.row);
        record = begin_sync_record(database, state.row);
        const PackageFormat& format = package_format(repository.type);
        DownloadOptions download_options = download_options_for(config, repository, options.workers);
        announce_client_certificate(config, repository, download_options, observer);
        Downloader downloader(std::move(download_options));
        const std::optional<UpstreamTrust> trust = open_trust(repository, pool);
        observer.stage(repository.id, "fetching the upstream index from " + redact_url(repository.feed));
        const std::unique_ptr<UpstreamFeed> feed =
            open_upstream_feed(format, downloader, repository, trust ? &*trust : nullptr);
        add_warnings(feed->warnings(), repository.id, observer, report);
        index_sha256 = feed->index_sha256();
        const std::string key = sync_key(*feed, repository, trust ? &*trust : nullptr, now);
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
            record_up_to_date(database, state.row, *record, *index_sha256, report);
            report.generated_tree = state.generated_tree;
            report.seconds = seconds_since(started);
            return report;
        }

        // The checkpoint of what cataloguing wrote runs while packages download.
        BackgroundCheckpoint checkpoint(database);
        UpstreamRead read = read_upstream(*feed, database, pool, IndexScope::everything, observer);
        checkpoint.start();
        if (trust) add_client_key(*trust, database, pool, read.indexes);
        if (const std::size_t retained = add_retained_packages(database, repository, format, read.packages))
            observer.stage(repository.id, "retention keep-all: " + std::to_string(retained) +
                                              " package(s) of latest that upstream no longer lists are kept");
        PackageDetailsReader details = details_reader(database, repository);
        PackageSelection selection = select_packages(format, repository, read.packages, read.indexes.leaves_tree,
                                                     details_lookup(details), now);
        add_warnings(selection.warnings, repository.id, observer, report);
        std::vector<UpstreamPackage*> selected = selection.packages;
        std::optional<PackageSignaturePolicy> signatures;
        std::optional<PackageFileCheck> check;
        if (trust && trust->settings().gpgcheck) check = signatures.emplace(*trust, *feed, state, database).check();
        const PackageFetchResult fetched = fetch_packages(downloader, database, pool, repository, selected, observer,
                                                          options.cancel, check ? &*check : nullptr);
        report.files_downloaded = fetched.files_downloaded + read.indexes.files_downloaded;
        report.bytes_downloaded = fetched.bytes_downloaded + read.indexes.bytes_downloaded;
        counts.files_downloaded = report.files_downloaded;
        counts.bytes_downloaded = static_cast<std::int64_t>(report.bytes_downloaded);
        if (signatures) add_warnings(signatures->warnings(), repository.id, observer, report);
        require_all_fetched(repository, fetched);
        if (!fetched.left_out.empty()) {
            const std::unordered_set<std::int64_t> left_out(fetched.left_out.begin(), fetched.left_out.end());
            std::erase_if(selection.packages,
                          [&](const UpstreamPackage* package) { return left_out.count(package->package_id) > 0; });
        }

        const auto entries = latest_entries(format, read.indexes, selection, database, report.warnings);
        std::string message;
        if (unchanged) {
            std::string still_bad;
            report.files_refetched = count_restored(pool, damaged, still_bad);
            message = refetch_message(report.files_refetched);
            if (!still_bad.empty()) add_warnings({still_bad}, repository.id, observer, report);
        }
        const std::optional<std::string> verified_by =
            check ? std::optional<std::string>(trust->keys_digest()) : std::nullopt;
        report.changes = commit_latest(config, repository, database, state.row, *record, *index_sha256, key, unchanged,
                                       selection, entries, message, verified_by, counts, observer);

        if (const auto error = checkpoint.wait())
            add_warnings({"the catalogue's write-ahead log was not checkpointed (a later command retries): " + *error},
                         repository.id, observer, report);
        report.generated_tree = selection.generated_tree;
        report.packages_total = counts.packages_added + counts.packages_unchanged;
        report.seconds = seconds_since(started);
        return report;
    } catch (const std::exception& error) {
        // An attempt that failed before its 'running' row is recorded too,
        // once its repository has a row. If even this cannot be written, the
        // error below says why, and the row left 'running' (if any) is stale
        // as soon as the lock goes (sync_history.h).
        const bool ours = dynamic_cast<const Error*>(&error) != nullptr;
        record_failure(database, reserve, repository.id, state.row, record, counts, index_sha256,
                       redact_urls_in_text(ours ? error.what() : std::string("unexpected failure: ") + error.what()));
        throw;
    }
}

UpdateCheck check_repository_updates(const Config& config, const RepositoryConfig& repository, Database& database,
                                     const Pool& pool, const SyncOptions& options, SyncObserver& observer) {
    require_upstream(repository);
    RepositoryState state = load_state(database, repository);
    UpdateCheck check;
    check.repo_id = repository.id;
    const PackageFormat& format = package_format(repository.type);
    Downloader downloader(download_options_for(config, repository, options.workers));
    const std::optional<UpstreamTrust> trust = open_trust(repository, pool);
    observer.stage(repository.id, "fetching the upstream index from " + redact_url(repository.feed));
    const std::unique_ptr<UpstreamFeed> feed = open_upstream_feed(format, downloader, repository, trust ? &*trust : nullptr);
    for (const auto& warning : feed->warnings()) observer.warning(repository.id, warning);
    const std::int64_t now = unix_time_now();
    if (state.last_sync_key == sync_key(*feed, repository, trust ? &*trust : nullptr, now) &&
        state.latest_entries > 0) {
        check.up_to_date = true;
        return check;
    }
    UpstreamRead read = read_upstream(*feed, database, pool, IndexScope::package_lists, observer);
    add_retained_packages(database, repository, format, read.packages);
    PackageDetailsReader details = details_reader(database, repository);
    const PackageSelection selection = select_packages(format, repository, read.packages, read.indexes.leaves_tree,
                                                       details_lookup(details), now);

    std::vector<TreePackage> upstream;
    // Package by package: one listed at several paths counts (and is fetched)
    // once; as in latest_entries, the first package at a path is kept.
    std::unordered_set<std::string> paths;
    std::unordered_set<std::int64_t> listed;
    ContentRecorder contents(database);
    for (const UpstreamPackage* package : selection.packages) {
        std::string path = latest_package_path(format, selection, *package);
        if (!paths.insert(path).second || !listed.insert(package->package_id).second) continue;
        TreePackage entry;
        entry.package_id = package->package_id;
        entry.content_id = package->content_id.value_or(0);
        entry.format = format.type();
        entry.name = package->name;
        entry.epoch = package->epoch;
        entry.version = package->version;
        entry.release = package->release;
        entry.arch = package->arch;
        // The file's sha256 when the pool has it; else upstream's checksum,
        // tagged with its type unless it is a sha256 (then it is the file's sha256).
        if (auto content = package->content_id ? contents.find_by_id(*package->content_id) : std::nullopt)
            entry.sha256 = content->sha256;
        else if (package->checksum_algorithm == HashAlgorithm::sha256)
            entry.sha256 = package->checksum;
        else
            entry.sha256 = std::string(hash_algorithm_name(package->checksum_algorithm)) + ":" + package->checksum;
        entry.filename = package->file_name();
        entry.size = package->size;
        entry.path = std::move(path);
        entry.repo_id = repository.id;
        if (!package->content_id) {
            ++check.download_files;
            check.download_bytes += package->size;
        }
        upstream.push_back(std::move(entry));
    }
    check.changes = diff_package_sets(latest_packages(database, repository.id), std::move(upstream));
    return check;
}

}  // namespace chantal
