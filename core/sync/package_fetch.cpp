#include "core/sync/package_fetch.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <stop_token>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"
#include "core/pool/content_records.h"

namespace chantal {
namespace {

constexpr std::size_t kChunkSize = 1000;  // downloads recorded per catalogue transaction

// True when the pool holds the content with its catalogued size; the file is
// then touched, so a concurrent `pool cleanup` spares it (Pool::touch).
bool pool_file_exists(const Pool& pool, const ContentRow& content) {
    if (!pool.has_file(content.sha256, content.filename, content.size)) return false;
    pool.touch(content.sha256, content.filename);
    return true;
}

// For a pkgid that is not a sha256 (sha1, sha512 repos): a pool file of the
// same name and size whose digest, computed locally, equals the pkgid is the
// same package, already brought in by another repo.
std::optional<ContentRow> local_match(Database& database, const Pool& pool, const UpstreamPackage& package) {
    Statement candidates = database.prepare("SELECT " + std::string(kContentRowColumns) +
                                            " FROM content_items WHERE filename = ?1 AND size = ?2 AND kind = 'package'");
    candidates.bind(1, package.file_name()).bind(2, package.size);
    while (candidates.step()) {
        ContentRow row = content_row_at(candidates);
        if (!pool_file_exists(pool, row)) continue;
        if (hex_digest_of_file(package.checksum_algorithm, pool.path_for(row.sha256, row.filename)) == package.checksum)
            return row;
    }
    return std::nullopt;
}

// Runs ahead of the downloads on a helper thread: creates each request's
// (empty) partial file and, when the sha256 is known before the download
// (sha256 pkgids), the pool directory it will be renamed into. On a fresh
// pool both cost an inode allocation per file, which would otherwise stall
// the network loop (partial files) or follow it (directories). Best effort:
// failures are ignored here (the download and the adoption create what is
// missing and report errors); an empty partial file left behind is harmless
// (the next run starts it from zero, pool cleanup removes stale ones).
// stop() (or the destructor) ends it early and joins.
class DownloadPreparer {
public:
    struct Item {
        std::filesystem::path partial_file;
        std::string sha256;  // "" when not known before the download
        std::string filename;
    };

    DownloadPreparer(const Pool& pool, std::vector<Item> items)
        : thread_([&pool, items = std::move(items)](std::stop_token stop) {
              for (const Item& item : items) {
                  if (stop.stop_requested()) return;
                  UniqueFd created(::open(item.partial_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
                  if (item.sha256.empty()) continue;
                  try {
                      pool.prepare_directory(item.sha256, item.filename);
                  } catch (const Error&) {
                      // Ahead of time only: committing the file creates its
                      // directory again and reports what fails then.
                  }
              }
          }) {}

    // Ends the helper thread; call before the partial files are moved away.
    void stop() {
        thread_.request_stop();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::jthread thread_;
};

// A pooled file's verdict, when `check` asks for one; accept otherwise.
PackageFileVerdict check_pooled_file(const PackageFileCheck* check, const Pool& pool, const UpstreamPackage& package,
                                     const ContentRow& content) {
    if (!check || !check->check_pooled(package)) return {};
    const auto problem = check->inspect(pool.path_for(content.sha256, content.filename));
    return problem ? check->judge(package, *problem) : PackageFileVerdict{};
}

// Records a non-accept verdict; true when the package stays in.
bool keep_after(const PackageFileVerdict& verdict, const UpstreamPackage& package, PackageFetchResult& result) {
    switch (verdict.action) {
        case PackageFileVerdict::Action::accept: return true;
        case PackageFileVerdict::Action::reject: result.rejected.push_back(verdict.message); return false;
        case PackageFileVerdict::Action::leave_out: result.left_out.push_back(package.package_id); return false;
    }
    return true;
}

// Stage 1: links each package to what the pool already has (by the
// catalogue's link, by a sha256 checksum known as content, by a pool file
// left by an interrupted run, or by a local match), checking the files
// that `check` asks for; returns the others.
std::vector<UpstreamPackage*> link_pooled_packages(Database& database, const Pool& pool,
                                                   std::vector<UpstreamPackage*>& packages,
                                                   const PackageFileCheck* check, PackageFetchResult& result) {
    ContentRecorder contents(database);
    std::vector<UpstreamPackage*> missing;
    Transaction transaction(database);
    for (UpstreamPackage* package : packages) {
        if (package->content_id) {
            auto content = contents.find_by_id(*package->content_id);
            if (content && pool_file_exists(pool, *content)) {
                keep_after(check_pooled_file(check, pool, *package, *content), *package, result);
                continue;
            }
            package->content_id.reset();
        }
        std::optional<ContentRow> content;
        if (package->checksum_algorithm == HashAlgorithm::sha256) {
            content = contents.find(package->checksum);
            if (!content && pool.contains(package->checksum, package->file_name())) {
                const auto path = pool.path_for(package->checksum, package->file_name());
                PoolEntry entry{{package->checksum, package->file_name(), std::filesystem::file_size(path)}, path, true};
                content = ContentRow{entry, contents.record(entry, "package")};
            }
            if (content && !pool_file_exists(pool, *content)) content.reset();
        } else {
            content = local_match(database, pool, *package);
        }
        if (content) {
            package->content_id = content->id;
            contents.link_package(package->package_id, content->id);
            keep_after(check_pooled_file(check, pool, *package, *content), *package, result);
            continue;
        }
        missing.push_back(package);
    }
    transaction.commit();
    return missing;
}

// Stage 2: one package listed more than once (the same file at two paths,
// as createrepo_c writes for a file in two folders) is fetched once: its
// other entries only share the result (two requests would write the same
// partial file). Returns the packages to request; `listed_again` maps a
// package id to its other entries.
std::vector<UpstreamPackage*> requests_once(std::vector<UpstreamPackage*> missing,
                                            std::unordered_map<std::int64_t, std::vector<UpstreamPackage*>>& listed_again) {
    std::unordered_set<std::int64_t> requested;
    std::vector<UpstreamPackage*> unique;
    for (UpstreamPackage* package : missing) {
        if (requested.insert(package->package_id).second) unique.push_back(package);
        else listed_again[package->package_id].push_back(package);
    }
    return unique;
}

std::vector<DownloadRequest> chunk_requests(const RepositoryConfig& repository, const std::vector<UpstreamPackage*>& missing,
                                            std::size_t chunk_start, std::size_t chunk_end,
                                            const std::filesystem::path& download_directory) {
    std::vector<DownloadRequest> requests;
    for (std::size_t i = chunk_start; i < chunk_end; ++i) {
        const UpstreamPackage& package = *missing[i];
        DownloadRequest request;
        request.url = package.url(repository);
        // Named by checksum so that a rerun finds and resumes it.
        request.destination = download_directory / (package.checksum + ".part");
        if (package.size > 0) request.expected_size = package.size;
        request.expected_checksum = ExpectedChecksum{package.checksum_algorithm, package.checksum};
        request.tag = i;
        requests.push_back(std::move(request));
    }
    return requests;
}

}  // namespace

PackageFetchResult fetch_packages(Downloader& downloader, Database& database, const Pool& pool,
                                  const RepositoryConfig& repository, std::vector<UpstreamPackage*>& packages,
                                  SyncObserver& observer, const std::atomic<bool>* cancel,
                                  const PackageFileCheck* check) {
    PackageFetchResult result;
    std::unordered_map<std::int64_t, std::vector<UpstreamPackage*>> listed_again;
    if (check) observer.stage(repository.id, "checking package signatures");
    const std::vector<UpstreamPackage*> missing =
        requests_once(link_pooled_packages(database, pool, packages, check, result), listed_again);
    if (missing.empty()) return result;
    for (const UpstreamPackage* package : missing)
        if (package->placement == MirrorPlacement::refused)
            throw Error::internal("package " + package->full_name() + " of repo " + repository.id +
                                  " has a refused location");

    std::uint64_t total_bytes = 0;
    for (const auto* package : missing) total_bytes += package->size;
    observer.stage(repository.id, "downloading " + std::to_string(missing.size()) + " packages");

    ContentRecorder contents(database);
    const std::filesystem::path download_directory = pool.temp_root() / ("sync-" + repository.id);
    chantal::create_directories(download_directory);
    DownloadProgress overall;
    overall.files_total = missing.size();
    overall.bytes_total = total_bytes;
    // Stage 3, chunk by chunk: download, make durable, move into the pool
    // and record in one transaction.
    for (std::size_t chunk_start = 0; chunk_start < missing.size(); chunk_start += kChunkSize) {
        const std::size_t chunk_end = std::min(missing.size(), chunk_start + kChunkSize);
        std::vector<DownloadRequest> requests = chunk_requests(repository, missing, chunk_start, chunk_end, download_directory);
        // Each downloaded file's signature, looked at as it completes (one
        // writer per element; read after download() has collected every commit).
        std::vector<std::optional<std::optional<SignatureProblem>>> inspected(requests.size());
        if (check)
            for (std::size_t i = 0; i < requests.size(); ++i)
                requests[i].inspect_file = [&inspected, i, check](const std::filesystem::path& file) {
                    inspected[i] = check->inspect(file);
                };
        std::vector<DownloadPreparer::Item> preparations;
        for (std::size_t i = chunk_start; i < chunk_end; ++i) {
            const bool sha256_known = missing[i]->checksum_algorithm == HashAlgorithm::sha256;
            preparations.push_back({requests[i - chunk_start].destination, sha256_known ? missing[i]->checksum : "",
                                    missing[i]->file_name()});
        }
        DownloadPreparer preparer(pool, std::move(preparations));
        const DownloadProgress before = overall;
        auto results = downloader.download(
            requests,
            [&](const DownloadProgress& progress) {
                DownloadProgress combined = before;
                combined.files_done += progress.files_done;
                combined.files_failed += progress.files_failed;
                combined.bytes_done += progress.bytes_done;
                combined.bytes_transferred += progress.bytes_transferred;
                overall = combined;
                observer.download_progress(repository.id, combined);
            },
            cancel);
        preparer.stop();
        // The downloader did not fsync each file: one syncfs makes the whole
        // chunk durable before any of it gets its final name, and a second
        // one makes the renames durable before the catalogue refers to them.
        pool.sync_file_system();
        Transaction transaction(database);
        for (const auto& download : results) {
            UpstreamPackage& package = *missing[download.tag];
            result.bytes_downloaded += download.bytes_transferred;
            if (download.cancelled) {
                result.cancelled = true;
                continue;
            }
            if (!download.ok()) {
                result.failures.push_back(package.file_name() + ": " + download.error->what());
                continue;
            }
            const auto& downloaded_file = requests[download.index].destination;
            if (check && !inspected[download.index]) inspected[download.index] = check->inspect(downloaded_file);
            const auto& problem = check ? *inspected[download.index] : std::nullopt;
            if (problem && !keep_after(check->judge(package, *problem), package, result)) {
                std::error_code ignored;
                std::filesystem::remove(downloaded_file, ignored);  // never pooled, never resumed
                continue;
            }
            // Content the catalogue already knows (its pool file was missing or
            // damaged) goes back under the name its row gives it.
            const auto known = contents.find(download.sha256);
            PoolEntry entry = pool.adopt_verified_file(requests[download.index].destination, download.sha256,
                                                       known ? known->filename : package.file_name(),
                                                       Pool::Durability::deferred);
            const std::int64_t content_id = contents.record(entry, "package");
            contents.link_package(package.package_id, content_id);
            package.content_id = content_id;
            if (auto again = listed_again.find(package.package_id); again != listed_again.end())
                for (UpstreamPackage* same : again->second) same->content_id = content_id;
            if (download.requests > 0) ++result.files_downloaded;
        }
        pool.sync_file_system();
        transaction.commit();
        if (result.cancelled) break;
    }
    return result;
}

}  // namespace chantal
