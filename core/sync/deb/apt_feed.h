// The upstream feed of an APT repository (UpstreamFeed, package_format.h):
// the Release files (apt_release.h) fetched and checked on opening; the
// index files they list for the configured components and architectures
// brought into the pool, verified against the Release's size and SHA256
// (by-hash copies served beside them when upstream sets Acquire-By-Hash);
// Packages (and Sources) read into the catalogue. Belongs to the one sync
// that opened it.
#pragma once

#include <memory>

#include "core/config/config.h"
#include "core/download/download.h"
#include "core/tree/package_format.h"

namespace chantal {

// `downloader` and `trust` must outlive the feed.
std::unique_ptr<UpstreamFeed> open_apt_feed(Downloader& downloader, const RepositoryConfig& repository,
                                            const UpstreamTrust* trust);

}  // namespace chantal
