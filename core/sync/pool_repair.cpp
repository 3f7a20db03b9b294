#include "core/sync/pool_repair.h"

#include <unistd.h>

#include <chrono>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/url.h"
#include "core/catalogue/repository_records.h"
#include "core/download/download.h"
#include "core/download/download_settings.h"
#include "core/sync/sync_lock.h"

namespace chantal {
namespace {

// The ids of the content items a repository's trees reference (a one-column
// SELECT for check_pool_files). The row id is an integer, so writing it into
// the SQL text is safe.
std::string scope_content_ids_sql(std::int64_t repository_row, RepairScope scope) {
    const std::string row = std::to_string(repository_row);
    std::string sql = "SELECT content_id FROM repository_contents WHERE repository_id = " + row;
    if (scope == RepairScope::latest_and_snapshots)
        sql += " UNION SELECT c.content_id FROM snapshot_contents c JOIN snapshots s ON s.id = c.snapshot_id "
               "WHERE s.repository_id = " + row;
    return sql;
}

std::string checksum_key(const ExpectedChecksum& checksum) {
    return std::string(hash_algorithm_name(checksum.algorithm)) + ":" + checksum.hex;
}

// The algorithm whose repodata name is `name` ("sha1", "sha256", ...).
std::optional<HashAlgorithm> algorithm_named(std::string_view name) {
    for (HashAlgorithm algorithm : {HashAlgorithm::sha1, HashAlgorithm::sha224, HashAlgorithm::sha256,
                                    HashAlgorithm::sha384, HashAlgorithm::sha512})
        if (hash_algorithm_name(algorithm) == name) return algorithm;
    return std::nullopt;
}

// The repair target of each bad file (by index into `files`); files whose
// catalogue row names no pool file get a reason instead.
std::vector<std::optional<RepairTarget>> load_targets(Database& database, std::vector<RepairedFile>& files) {
    Statement kind(database, "SELECT kind FROM content_items WHERE id = ?1");
    Statement pkgids(database, "SELECT checksum_type, checksum FROM packages WHERE content_id = ?1");
    std::vector<std::optional<RepairTarget>> targets;
    for (RepairedFile& file : files) {
        if (file.file.problem == ContentProblem::invalid_name) {
            file.reason = "its catalogue row names no valid pool file (" + file.file.detail + ")";
            targets.emplace_back();
            continue;
        }
        RepairTarget target;
        target.content = file.file;
        kind.bind(1, target.content.id);
        if (kind.step()) target.kind = kind.column_text(0);
        kind.reset();
        pkgids.bind(1, target.content.id);
        while (pkgids.step())
            if (auto algorithm = algorithm_named(pkgids.column_text(0)))
                target.pkgids.push_back({*algorithm, pkgids.column_text(1)});
        pkgids.reset();
        targets.push_back(std::move(target));
    }
    return targets;
}

// Restores pool files from what upstream offers: downloads into a temp
// directory, checks, renames over the damaged file.
class Restorer {
public:
    Restorer(Downloader& downloader, const Pool& pool, const RepositoryConfig& repository, SyncObserver& observer,
             const std::atomic<bool>* cancel, RepairReport& report)
        : downloader_(downloader),
          pool_(pool),
          repository_(repository),
          observer_(observer),
          cancel_(cancel),
          report_(report),
          directory_(pool.temp_root() / ("repair-" + repository.id)) {
        chantal::create_directories(directory_);
    }

    // Restores each target (index into report.files) that `offers` has and
    // that is not repaired yet. A target upstream does not offer is left as
    // it is (no reason set).
    void restore(const std::vector<std::optional<RepairTarget>>& targets, const UpstreamOffers& offers) {
        std::vector<DownloadRequest> requests;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            RepairedFile& file = report_.files[i];
            if (!targets[i] || file.repaired) continue;
            const UpstreamOffer* offer = offers.find(*targets[i]);
            if (!offer) continue;
            file.reason.clear();
            if (offer->bytes) {
                restore_bytes(*targets[i], *offer->bytes, file);
                continue;
            }
            DownloadRequest request;
            request.url = offer->url;
            request.destination = directory_ / (targets[i]->content.sha256 + ".part");
            request.expected_size = offer->size;
            request.expected_checksum = offer->checksum;
            request.tag = i;
            requests.push_back(std::move(request));
        }
        if (requests.empty()) return;
        observer_.stage(repository_.id, "fetching " + std::to_string(requests.size()) + " files again from upstream");
        auto results = downloader_.download(
            requests,
            [&](const DownloadProgress& progress) { observer_.download_progress(repository_.id, progress); }, cancel_);
        pool_.sync_file_system();  // the downloads are durable before they replace anything
        for (const auto& download : results) {
            report_.bytes_downloaded += download.bytes_transferred;
            adopt(*targets[download.tag], download, requests[download.index].destination, report_.files[download.tag]);
        }
    }

private:
    void restore_bytes(const RepairTarget& target, const std::string& bytes, RepairedFile& file) {
        if (sha256_hex(bytes) != target.content.sha256 || bytes.size() != target.content.size) {
            file.reason = "upstream's file differs from the catalogued one";
            return;
        }
        const std::filesystem::path temp = directory_ / (target.content.sha256 + ".restore");
        write_file_atomically(temp, bytes);
        pool_.restore_verified_file(temp, target.content.sha256, target.content.filename);
        file.repaired = true;
    }

    void adopt(const RepairTarget& target, const DownloadResult& download, const std::filesystem::path& temp,
               RepairedFile& file) {
        if (download.cancelled) {
            file.reason = "interrupted";
            return;
        }
        if (!download.ok()) {
            file.reason = redact_urls_in_text(download.error->what());
            return;
        }
        if (download.sha256 != target.content.sha256 || download.size != target.content.size) {
            ::unlink(temp.c_str());
            file.reason = "upstream's file has sha256 " + download.sha256 + ", not the catalogued " + target.content.sha256;
            return;
        }
        pool_.restore_verified_file(temp, target.content.sha256, target.content.filename);
        file.repaired = true;
        if (download.requests > 0) ++report_.files_downloaded;
    }

    Downloader& downloader_;
    const Pool& pool_;
    const RepositoryConfig& repository_;
    SyncObserver& observer_;
    const std::atomic<bool>* cancel_;
    RepairReport& report_;
    std::filesystem::path directory_;
};

// Upstream's current package lists in the pool, intact: fetched like a
// sync does (reusing a pool file of the right size), then re-hashed,
// because a damaged copy must not be read as upstream's package list; a
// damaged one is restored from `index_offers` first.
UpstreamIndexes intact_package_lists(Downloader& downloader, Database& database, const Pool& pool,
                                     const RepositoryConfig& repository, UpstreamFeed& feed,
                                     const UpstreamOffers& index_offers, SyncObserver& observer,
                                     RepairReport& report) {
    UpstreamIndexes indexes = feed.fetch_indexes(database, pool, IndexScope::package_lists, observer);
    for (const UpstreamIndexFile& file : indexes.files) {
        const PoolEntry& entry = file.pool_entry;
        const ContentRow content{entry, 0};
        auto bad = check_pool_file(pool, content, true);
        if (!bad) continue;
        RepairReport scratch;
        scratch.files.push_back({*bad, false, ""});
        std::vector<std::optional<RepairTarget>> target{RepairTarget{content, "metadata", {}}};
        Restorer(downloader, pool, repository, observer, nullptr, scratch).restore(target, index_offers);
        report.files_downloaded += scratch.files_downloaded;
        report.bytes_downloaded += scratch.bytes_downloaded;
        if (!scratch.files[0].repaired)
            throw Error::corrupt("repo " + repository.id + ": the pool's copy of upstream's " + file.path + " (" +
                                 entry.path.string() + ") is damaged and could not be fetched again" +
                                 (scratch.files[0].reason.empty() ? "" : ": " + scratch.files[0].reason));
    }
    return indexes;
}

// Every package upstream's current package lists name (catalogued, as a
// sync catalogues them; latest is not touched).
void add_package_offers(Database& database, const RepositoryConfig& repository, UpstreamFeed& feed,
                        const UpstreamIndexes& indexes, SyncObserver& observer, UpstreamOffers& offers) {
    std::vector<UpstreamPackage> packages;
    {
        Transaction transaction(database);
        packages = feed.catalogue_packages(database, indexes, observer);
        transaction.commit();
    }
    for (UpstreamPackage& package : packages) {
        if (package.placement == MirrorPlacement::refused) continue;
        std::string file_name = package.location.substr(package.location.rfind('/') + 1);
        offers.add({package.url(repository), std::nullopt, {package.checksum_algorithm, std::move(package.checksum)},
                    package.size > 0 ? std::optional<std::uint64_t>(package.size) : std::nullopt,
                    std::move(file_name)});
    }
}

bool needs_package_offers(const std::vector<std::optional<RepairTarget>>& targets, const RepairReport& report) {
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (targets[i] && !report.files[i].repaired && targets[i]->kind == "package") return true;
    return false;
}

}  // namespace

std::vector<BadContent> damaged_pool_files(Database& database, const Pool& pool, std::int64_t repository_row,
                                           RepairScope scope, bool checksums, const VerifyProgressCallback& progress) {
    return check_pool_files(database, pool, scope_content_ids_sql(repository_row, scope), checksums, progress)
        .bad_content;
}

void UpstreamOffers::add(UpstreamOffer offer) {
    by_checksum_.emplace(checksum_key(offer.checksum), offers_.size());
    offers_.push_back(std::move(offer));
}

const UpstreamOffer* UpstreamOffers::find(const RepairTarget& target) const {
    auto by_key = [&](const ExpectedChecksum& checksum) -> const UpstreamOffer* {
        const auto found = by_checksum_.find(checksum_key(checksum));
        return found == by_checksum_.end() ? nullptr : &offers_[found->second];
    };
    if (const auto* offer = by_key({HashAlgorithm::sha256, target.content.sha256})) return offer;
    if (target.kind == "package") {
        for (const auto& pkgid : target.pkgids)
            if (const auto* offer = by_key(pkgid)) return offer;
        return nullptr;
    }
    for (const auto& offer : offers_)
        if (offer.checksum.algorithm != HashAlgorithm::sha256 && offer.file_name == target.content.filename &&
            offer.size == target.content.size)
            return &offer;
    return nullptr;
}

std::size_t RepairReport::repaired() const {
    std::size_t count = 0;
    for (const auto& file : files) count += file.repaired ? 1 : 0;
    return count;
}

std::size_t RepairReport::unrepaired() const { return files.size() - repaired(); }

RepairReport repair_repository(const Config& config, const RepositoryConfig& repository, Database& database,
                               const Pool& pool, const SyncOptions& options, SyncObserver& observer,
                               const VerifyProgressCallback& hashing) {
    const auto started = std::chrono::steady_clock::now();
    auto finish = [&](RepairReport& report) -> RepairReport& {
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return report;
    };
    RepairReport report;
    report.repo_id = repository.id;
    FileLock lock(pool.temp_root() / ("sync-" + repository.id + ".lock"), "a sync of repo " + repository.id);
    const auto row = find_repository_row(database, repository.id);
    if (!row) return finish(report);  // never synced: no tree, nothing to check

    observer.stage(repository.id, "re-hashing the pool files of latest and the snapshots");
    auto checked =
        check_pool_files(database, pool, scope_content_ids_sql(*row, RepairScope::latest_and_snapshots), true, hashing);
    report.files_checked = checked.content_checked;
    report.bytes_checked = checked.bytes_checked;
    for (auto& bad : checked.bad_content) report.files.push_back({std::move(bad), false, ""});
    if (report.files.empty()) return finish(report);
    if (repository.mode == RepositoryMode::hosted) {  // no upstream holds its files
        for (RepairedFile& file : report.files) file.reason = "repo is hosted: upload the package again";
        return finish(report);
    }

    const auto targets = load_targets(database, report.files);
    Downloader downloader(download_options_for(config, repository, options.workers));
    observer.stage(repository.id, "fetching the top index from " + redact_url(repository.feed));
    const auto feed = open_upstream_feed(package_format(repository.type), downloader, repository, nullptr);
    UpstreamOffers offers;
    for (UpstreamOffer& offer : feed->index_offers()) offers.add(std::move(offer));
    Restorer restorer(downloader, pool, repository, observer, options.cancel, report);
    restorer.restore(targets, offers);  // index files first: a package list may be among them

    if (needs_package_offers(targets, report) && !(options.cancel && options.cancel->load())) {
        const UpstreamIndexes indexes =
            intact_package_lists(downloader, database, pool, repository, *feed, offers, observer, report);
        observer.stage(repository.id, "reading upstream's package list");
        add_package_offers(database, repository, *feed, indexes, observer, offers);
        restorer.restore(targets, offers);
    }
    for (std::size_t i = 0; i < report.files.size(); ++i)
        if (!report.files[i].repaired && report.files[i].reason.empty())
            report.files[i].reason = options.cancel && options.cancel->load() ? "interrupted"
                                                                              : "upstream no longer has it";
    return finish(report);
}

}  // namespace chantal
