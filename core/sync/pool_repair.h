// Repair of pool files (design.md §3 "Operations"): find the pool files that
// a repository's trees reference and that are missing or damaged, and fetch
// them again from upstream by checksum.
//
//   - `repo sync` with upstream unchanged stats the files of the repo's
//     latest (damaged_pool_files, RepairScope::latest, no hashing) and, when
//     one is missing or has the wrong size, runs the normal sync path, which
//     fetches whatever the pool lacks (sync.h).
//   - `repo sync --repair` (repair_repository) re-hashes every file the
//     repo's latest and snapshots reference and restores each bad one from
//     what upstream offers now (UpstreamOffers, from the repository's
//     format: UpstreamFeed): the top index (repomd.xml and its .asc and
//     .key), the files it lists, the packages its package lists name.
//     A file upstream no longer offers with the same sha256 cannot be
//     repaired and is reported as such.
//
// Restored bytes are downloaded under temp_path, checked against upstream's
// checksum and size and against the content row's sha256 and size, and
// renamed over the damaged file (Pool::restore_verified_file): a reader sees
// the old file or the new one, never a mix. Repair changes no tree: latest
// and the snapshots keep their membership; only the bytes come back.
//
// One repair or sync per repository at a time (the sync lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/download/download_verifier.h"
#include "core/download/sync_observer.h"
#include "core/pool/content_records.h"
#include "core/pool/pool.h"
#include "core/pool/pool_check.h"
#include "core/sync/sync.h"
#include "core/tree/package_format.h"

namespace chantal {

enum class RepairScope {
    latest,                // the files of the repository's latest
    latest_and_snapshots,  // ... and of every snapshot of the repository
};

// The content items of the repository's trees whose pool files are bad, with
// their holders: one stat each (checksums false: missing or wrong size) or a
// re-hash (checksums true). `progress` as for check_pool_files.
std::vector<BadContent> damaged_pool_files(Database& database, const Pool& pool, std::int64_t repository_row,
                                           RepairScope scope, bool checksums,
                                           const VerifyProgressCallback& progress = {});

// A damaged pool file to restore.
struct RepairTarget {
    ContentRow content;
    std::string kind;                      // content_items.kind: "package" or "metadata"
    std::vector<ExpectedChecksum> pkgids;  // the pkgids of the packages rows linked to it
};

// What upstream offers, indexed for RepairTarget look-ups.
class UpstreamOffers {
public:
    void add(UpstreamOffer offer);
    std::size_t size() const { return offers_.size(); }
    // The offer that holds the target's bytes, nullptr when upstream has none:
    //   1. an offer whose checksum is a sha256 equal to the content's;
    //   2. for a package, an offer whose checksum is one of its pkgids;
    //   3. for metadata, an offer with a non-sha256 checksum, the content's
    //      file name and size (the download is then checked against the sha256).
    const UpstreamOffer* find(const RepairTarget& target) const;

private:
    std::vector<UpstreamOffer> offers_;
    std::unordered_map<std::string, std::size_t> by_checksum_;  // "<algorithm>:<hex>" -> index
};

// One bad pool file that repair looked at.
struct RepairedFile {
    BadContent file;     // what was wrong (problem, pool path, holders)
    bool repaired = false;
    std::string reason;  // when not repaired: why ("upstream no longer has it", a download error)
};

struct RepairReport {
    std::string repo_id;
    std::uint64_t files_checked = 0;
    std::uint64_t bytes_checked = 0;
    std::vector<RepairedFile> files;  // every bad file found, in sha256 order
    std::int64_t files_downloaded = 0;
    std::uint64_t bytes_downloaded = 0;
    double seconds = 0;

    std::size_t repaired() const;
    std::size_t unrepaired() const;
    bool ok() const { return unrepaired() == 0; }
};

// `repo sync --repair` for one repository: re-hashes every pool file its
// latest and snapshots reference and restores the bad ones from upstream.
// Files that cannot be repaired are in the report (not thrown); throws
// chantal::Error when upstream's repomd.xml or primary cannot be fetched,
// the lock is held, or the pool cannot be written.
RepairReport repair_repository(const Config& config, const RepositoryConfig& repository, Database& database,
                               const Pool& pool, const SyncOptions& options, SyncObserver& observer,
                               const VerifyProgressCallback& hashing = {});

}  // namespace chantal
