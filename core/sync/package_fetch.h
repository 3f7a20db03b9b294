// The package stage of a sync: make every selected package's file present
// in the pool, reusing what any repo already brought in (by a sha256
// checksum or by the catalogue's content link) and downloading the rest in
// parallel.
// Finished downloads are moved into the pool and recorded in chunks, so a
// kill -9 loses at most one chunk's catalogue records; the files themselves
// stay (in the pool, or as complete partial files that the next run verifies
// without fetching again).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/download/download.h"
#include "core/download/sync_observer.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"

namespace chantal {

// What a package file check (verify.gpgcheck) decided about one file.
struct PackageFileVerdict {
    enum class Action {
        accept,     // it joins the pool and latest
        reject,     // the sync fails: the file never enters the pool
        leave_out,  // the package is left out of latest; a downloaded file never enters the pool
    };
    Action action = Action::accept;
    std::string message;  // for reject and leave_out: "<file>: <why>"
};

// The check every package file passes (verify.gpgcheck) before it enters
// the pool (a download) or joins latest (a file already pooled, when
// `check_pooled` says so).
struct PackageFileCheck {
    // On the sync's thread.
    std::function<bool(const UpstreamPackage&)> check_pooled;
    // What is wrong with a file's signature, nullopt when nothing. Runs on
    // the downloader's helper threads as files complete (thread-safe; never throws).
    std::function<std::optional<SignatureProblem>(const std::filesystem::path& file)> inspect;
    // The verdict on a problem, on the sync's thread.
    std::function<PackageFileVerdict(const UpstreamPackage&, const SignatureProblem&)> judge;
};

struct PackageFetchResult {
    std::int64_t files_downloaded = 0;
    std::uint64_t bytes_downloaded = 0;   // body bytes received
    std::vector<std::string> failures;    // one line per package: "<file>: <why>" (URLs redacted)
    std::vector<std::string> rejected;    // verdict reject: one line per package
    std::vector<std::int64_t> left_out;   // package ids of verdict leave_out
    bool cancelled = false;
};

// `packages` are the selected ones (none refused: each has a URL); their
// content_id is filled in on return for every package now in the pool.
// `check` may be null (no check).
PackageFetchResult fetch_packages(Downloader& downloader, Database& database, const Pool& pool,
                                  const RepositoryConfig& repository, std::vector<UpstreamPackage*>& packages,
                                  SyncObserver& observer, const std::atomic<bool>* cancel,
                                  const PackageFileCheck* check = nullptr);

}  // namespace chantal
