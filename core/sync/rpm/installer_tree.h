// The installer tree of an RPM feed (core/catalogue/installer_tree.h): the
// feed's .treeinfo, fetched when the feed is opened, and every file its
// [checksums] section lists, brought into the pool like packages (content-
// addressed, shared, resumed from a partial download) and checked against
// the listed sha256. They join the mirror tree's index files at their
// upstream paths.
//
// A feed without .treeinfo (404 or a missing file:// path) has no installer
// tree; that is normal and silent. A .treeinfo the reader refuses
// (metadata/rpm/treeinfo.h: a path that leaves the tree, a malformed line),
// a listed file upstream does not have, or one whose bytes do not match its
// checksum fails the sync with an error naming the repository and the path;
// nothing of the new state is switched to, so latest stays as it was.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/download/download.h"
#include "core/download/sync_observer.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"
#include "metadata/rpm/treeinfo.h"

namespace chantal {

struct UpstreamTreeinfo {
    std::string bytes;
    std::string sha256;  // of `bytes`, lowercase hex
    metadata::Treeinfo parsed;
};

// Fetches and reads <feed>/.treeinfo; nullopt when upstream has none.
// Throws chantal::Error naming the repository (a refused .treeinfo, a
// network failure other than "not found").
std::optional<UpstreamTreeinfo> fetch_treeinfo(Downloader& downloader, const RepositoryConfig& repository);

struct InstallerTreeFiles {
    std::vector<UpstreamIndexFile> files;  // .treeinfo first, then the listed files in its order
    std::int64_t files_downloaded = 0;
    std::uint64_t bytes_downloaded = 0;
};

// Brings .treeinfo and every listed file into the pool (pooled content with
// the same sha256 is reused, not fetched) and records them in
// content_items; returns them as index files at their upstream paths, typed
// kInstallerTreeType, or kInstallerTreeMirrorOnlyType when the .treeinfo
// does not fit a generated tree's layout (metadata::fits_generated_layout).
// Throws chantal::Error naming the repository and the path on a failed or
// mismatching download.
InstallerTreeFiles fetch_installer_tree(Downloader& downloader, Database& database, const Pool& pool,
                                        const RepositoryConfig& repository, const UpstreamTreeinfo& treeinfo,
                                        SyncObserver& observer);

// What repair may restore from: .treeinfo by bytes, each listed file by URL
// and sha256.
std::vector<UpstreamOffer> installer_tree_offers(const RepositoryConfig& repository, const UpstreamTreeinfo& treeinfo);

}  // namespace chantal
