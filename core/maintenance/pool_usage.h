// pool stats: what the pool holds on disk, by kind, and leftovers in temp_path.
#pragma once

#include <cstdint>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"

namespace chantal {

struct FileCount {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    void add(std::uint64_t size) { ++files; bytes += size; }
};

struct PoolUsage {
    FileCount total;          // every pool file
    FileCount packages;       // catalogued as kind 'package'
    FileCount metadata;       // catalogued as kind 'metadata'
    FileCount uncatalogued;   // no content_items row (left by an interrupted writer, or imported elsewhere)
    FileCount unreferenced;   // catalogued or not, in no tree: what cleanup may remove once old enough
    FileCount temp;           // regular files under temp_path (downloads in progress or stale)
};

// Walks the pool and temp_path once. database may be null (no catalogue
// yet): then every file counts as uncatalogued and unreferenced.
PoolUsage measure_pool(Database* database, const Pool& pool);

}  // namespace chantal
