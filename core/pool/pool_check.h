// The pool check: does each content item's pool file exist with the
// catalogued size and (when asked) the catalogued sha256?
//
// One engine, check_pool_files, shared by `db verify` (every content item),
// `pool verify` (every referenced one) and repair (the items of one
// repository's trees). A bad file is reported with every tree that holds it
// (ContentHolder). Reads only; safe next to chantalfs and a running sync.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/file_progress.h"
#include "core/catalogue/content_references.h"
#include "core/catalogue/sqlite.h"
#include "core/pool/content_records.h"
#include "core/pool/pool.h"

namespace chantal {

// Reported after each content item is checked. Bytes count the catalogued
// sizes of the items done so far.
using VerifyProgress = FileProgress;
using VerifyProgressCallback = std::function<void(const VerifyProgress&)>;

enum class ContentProblem {
    missing,         // no pool file
    wrong_size,      // pool file size differs from content_items.size
    wrong_checksum,  // pool file's sha256 differs (only with checksums)
    unreadable,      // the file could not be read (detail says why)
    invalid_name,    // the row's sha256/filename cannot name a pool file
};
const char* content_problem_name(ContentProblem problem);  // "missing", "wrong size", ...

// A content item (its row; `size` is the catalogued size) whose pool file is bad.
struct BadContent : ContentRow {
    std::filesystem::path path;         // where it should be (empty for invalid_name)
    ContentProblem problem = ContentProblem::missing;
    std::uint64_t actual_size = 0;      // wrong_size only
    std::string detail;                 // unreadable / invalid_name: why
    std::vector<ContentHolder> holders; // empty: nothing references it
};

// Checks one content item's pool file: it exists with the catalogued size
// (one stat) and, with checksums, has the catalogued sha256 (re-hash).
// Returns what is wrong (holders left empty), nullopt when the file is fine.
std::optional<BadContent> check_pool_file(const Pool& pool, const ContentRow& content, bool checksums);

struct PoolCheck {
    std::vector<BadContent> bad_content;  // in sha256 order, each with its holders
    std::uint64_t content_checked = 0;
    std::uint64_t bytes_checked = 0;      // catalogued sizes of the items checked
};

// Checks the content items whose id `content_ids_sql` selects (a one-column
// SELECT such as kReferencedContentIdsSql; empty: every content item), in
// sha256 order. A file found missing whose row a concurrent `pool cleanup`
// deleted meanwhile is not reported (it was removed, not lost).
PoolCheck check_pool_files(Database& database, const Pool& pool, std::string_view content_ids_sql, bool checksums,
                           const VerifyProgressCallback& progress = {});

}  // namespace chantal
