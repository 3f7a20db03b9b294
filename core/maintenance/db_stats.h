// db stats: what the catalogue holds and what the pool costs on disk.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"

namespace chantal {

struct CatalogueStats {
    std::int64_t repositories = 0;
    std::int64_t snapshots = 0;
    std::int64_t views = 0;
    std::int64_t view_snapshots = 0;
    std::int64_t packages = 0;            // catalogued packages (rows of packages)
    std::int64_t packages_in_pool = 0;    // of those, with their file in the pool (content_id set)
    std::int64_t content_items = 0;       // catalogued pool files
    std::uint64_t content_bytes = 0;      // their total size
    std::uint64_t pool_files = 0;         // files found by walking the pool
    std::uint64_t pool_bytes = 0;
    std::uint64_t referenced_bytes = 0;   // distinct content referenced by any tree
    // Bytes every tree would take as a separate copy: repo latest states,
    // repo snapshots and generated repodata, plus the packages view latest
    // states and view snapshots serve (the view union: shadowed files not
    // counted). deduplicated_bytes = logical - referenced.
    std::uint64_t logical_bytes = 0;
    std::uint64_t deduplicated_bytes = 0;
    std::uint64_t catalogue_bytes = 0;    // the SQLite file
    std::uint64_t catalogue_wal_bytes = 0;  // its -wal file (0 when absent)
};

// Counts rows with SQL and walks the pool once. The catalogue file is the
// one `database` has open. Throws chantal::Error.
CatalogueStats collect_catalogue_stats(Database& database, const Pool& pool);

// Size of a file, 0 when it does not exist (for -wal/-shm companions).
std::uint64_t file_size_or_zero(const std::filesystem::path& file);

}  // namespace chantal
