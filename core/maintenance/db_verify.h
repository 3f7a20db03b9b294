// db verify: does the catalogue agree with itself and with the pool?
//
// Checks, in order:
//   1. PRAGMA integrity_check and PRAGMA foreign_key_check;
//   2. every content item has its pool file, with the catalogued size
//      (and, with checksums, the catalogued sha256: re-hashes every file);
//   3. lists pool files the catalogue does not know (uncatalogued) and
//      content items no tree references (cleanup candidates). These two are
//      reported but are not failures: a running sync creates both briefly.
//
// A bad file is reported with every tree that holds it (ContentHolder).
// Reads only; safe next to chantalfs and a running sync.
//
// The pool check (2.) is core/pool/pool_check.h, shared with `pool verify`
// and repair.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/pool/pool_check.h"

namespace chantal {

struct VerifyOptions {
    bool checksums = false;  // re-hash every pool file the catalogue names
};

struct PoolFileRecord {
    std::string sha256;
    std::string filename;
    std::filesystem::path path;
    std::uint64_t size = 0;
};

struct VerifyReport {
    std::vector<std::string> integrity_errors;    // PRAGMA integrity_check lines other than "ok"
    std::vector<std::string> foreign_key_errors;  // "snapshot_contents row ... references a missing content_items row"
    std::vector<BadContent> bad_content;
    std::vector<PoolFileRecord> uncatalogued_files;     // in the pool, not in content_items
    std::vector<PoolFileRecord> unreferenced_content;   // in content_items, in no tree (path: where it lives)
    std::uint64_t content_checked = 0;
    std::uint64_t bytes_checked = 0;
    bool checksums = false;

    bool ok() const { return integrity_errors.empty() && foreign_key_errors.empty() && bad_content.empty(); }
    // "3 problems: 1 missing, 1 wrong size, 1 bad checksum" or "no problems".
    std::string summary() const;
};

// Throws chantal::Error only when the catalogue cannot be read at all
// (Error::corrupt for a damaged file); everything else is in the report.
VerifyReport verify_catalogue(Database& database, const Pool& pool, const VerifyOptions& options,
                              const VerifyProgressCallback& progress = {});

// The pool check of verify_catalogue over chosen content items: those whose
// id `content_ids_sql` selects (a one-column SELECT such as
// kReferencedContentIdsSql; empty: every content item), in sha256 order.
// Appends each bad one, with its holders, to report.bad_content and adds to
// content_checked and bytes_checked.
void verify_pool_files(Database& database, const Pool& pool, std::string_view content_ids_sql,
                       const VerifyOptions& options, const VerifyProgressCallback& progress, VerifyReport& report);

// `pool verify`: re-hashes every pool file that a tree references (a
// repository's latest, a snapshot, generated repodata; views through their
// members). No integrity check, no uncatalogued/unreferenced lists.
VerifyReport verify_referenced_pool_files(Database& database, const Pool& pool,
                                          const VerifyProgressCallback& progress = {});

// `pool orphaned`: only the lists of check 3., uncatalogued_files (pool
// files no content_items row names) and unreferenced_content (content items
// no tree references: what `pool cleanup` removes after its grace period).
// Neither is a failure (ok() stays true).
VerifyReport find_orphaned_pool_files(Database& database, const Pool& pool);

// `pool missing`: every content item whose pool file is gone, with the trees
// that hold it (bad_content, problem `missing` only). One stat per item; no
// sizes or checksums compared (that is `pool verify`).
VerifyReport find_missing_pool_files(Database& database, const Pool& pool, const VerifyProgressCallback& progress = {});

}  // namespace chantal
