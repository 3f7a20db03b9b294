// The upstream feed of an RPM repository (UpstreamFeed, package_format.h):
// repomd.xml (+ .asc/.key) fetched on opening, the files it lists brought
// into the pool, primary/filelists/other and updateinfo read into the
// catalogue. Belongs to the one sync that opened it.
#pragma once

#include <memory>

#include "core/config/config.h"
#include "core/download/download.h"
#include "core/sync/rpm/package_records.h"
#include "core/tree/package_format.h"

namespace chantal {

// Fetches repomd.xml (and checks repomd.xml.asc with a `trust`, see
// open_upstream_feed); `downloader` and `trust` must outlive the feed.
std::unique_ptr<UpstreamFeed> open_rpm_feed(Downloader& downloader, const RepositoryConfig& repository,
                                            const UpstreamTrust* trust);

// A package primary lists, as the sync driver keeps it: its location href
// (and xml:base) placed against the repository's feed URL.
UpstreamPackage upstream_package(CataloguedPackage&& catalogued, const RepositoryConfig& repository);

}  // namespace chantal
