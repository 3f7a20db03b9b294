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
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/download/download.h"
#include "core/download/sync_observer.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"

namespace chantal {

struct PackageFetchResult {
    std::int64_t files_downloaded = 0;
    std::uint64_t bytes_downloaded = 0;   // body bytes received
    std::vector<std::string> failures;    // one line per package: "<file>: <why>" (URLs redacted)
    bool cancelled = false;
};

// `packages` are the selected ones (none refused: each has a URL); their
// content_id is filled in on return for every package now in the pool.
PackageFetchResult fetch_packages(Downloader& downloader, Database& database, const Pool& pool,
                                  const RepositoryConfig& repository, std::vector<UpstreamPackage*>& packages,
                                  SyncObserver& observer, const std::atomic<bool>* cancel);

}  // namespace chantal
