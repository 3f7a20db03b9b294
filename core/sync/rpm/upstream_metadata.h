// The first half of a sync: fetch upstream's repomd.xml (+ .asc/.key when
// published), classify its hrefs, and bring every metadata file it lists
// into the pool, verified against repomd's checksum and size.
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
#include "metadata/rpm/repomd.h"

namespace chantal {

// One file of the upstream repodata as it will appear in a mirror tree
// (path "repodata/<sha>-primary.xml.gz"; metadata_type the repomd type, or
// "repomd", "repomd_signature", "repomd_key").
using UpstreamMetadataFile = UpstreamIndexFile;

struct UpstreamRepomd {
    std::string bytes;
    std::string sha256;
    metadata::Repomd parsed;
    std::optional<std::string> signature;  // repomd.xml.asc
    std::optional<std::string> key;        // repomd.xml.key
};

// Fetches repomd.xml and, if published, its signature and key.
UpstreamRepomd fetch_repomd(Downloader& downloader, const RepositoryConfig& repository);

struct UpstreamMetadata {
    UpstreamRepomd repomd;
    std::vector<UpstreamMetadataFile> files;  // repomd.xml first, then signature, key, each record
    bool paths_leave_tree = false;            // some metadata href is not a clean tree path
    std::uint64_t bytes_downloaded = 0;
    std::int64_t files_downloaded = 0;

    // The file of a repomd type ("primary", ...), nullptr when absent.
    const UpstreamMetadataFile* find(const std::string& metadata_type) const;
};

// Which repomd types to fetch: all of them (sync), or a subset (check-updates
// fetches primary only).
struct MetadataSelection {
    bool all = true;
    std::vector<std::string> types;  // when !all
};

// Downloads the selected metadata files into the pool (reusing pool content
// with the same sha256) and records them in content_items. Throws
// chantal::Error naming the repo and file on any failure.
UpstreamMetadata fetch_upstream_metadata(Downloader& downloader, Database& database, const Pool& pool,
                                         const RepositoryConfig& repository, UpstreamRepomd repomd,
                                         const MetadataSelection& selection, SyncObserver& observer);

}  // namespace chantal
