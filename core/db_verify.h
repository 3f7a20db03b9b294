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
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/content_references.h"
#include "core/pool.h"
#include "core/sqlite.h"

namespace chantal {

struct VerifyOptions {
    bool checksums = false;  // re-hash every pool file the catalogue names
};

// Reported after each content item is checked. Bytes count the catalogued
// sizes of the items done so far.
struct VerifyProgress {
    std::uint64_t files_done = 0;
    std::uint64_t files_total = 0;
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;
};
using VerifyProgressCallback = std::function<void(const VerifyProgress&)>;

enum class ContentProblem {
    missing,         // no pool file
    wrong_size,      // pool file size differs from content_items.size
    wrong_checksum,  // pool file's sha256 differs (only with checksums)
    unreadable,      // the file could not be read (detail says why)
    invalid_name,    // the row's sha256/filename cannot name a pool file
};
const char* content_problem_name(ContentProblem problem);  // "missing", "wrong size", ...

struct BadContent {
    std::string sha256;
    std::string filename;
    std::filesystem::path path;         // where it should be (empty for invalid_name)
    ContentProblem problem = ContentProblem::missing;
    std::uint64_t expected_size = 0;
    std::uint64_t actual_size = 0;      // wrong_size only
    std::string detail;                 // unreadable / invalid_name: why
    std::vector<ContentHolder> holders; // empty: nothing references it
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

}  // namespace chantal
