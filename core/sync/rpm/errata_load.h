// Loads an updateinfo file (already verified and in the pool) into the
// catalogue: each advisory revision once, linked to the file. Call inside
// the caller's Transaction. A file already loaded is skipped.
#pragma once

#include <cstdint>

#include "core/catalogue/sqlite.h"
#include "core/sync/rpm/metadata_loader.h"

namespace chantal {

// Returns the number of advisories the file holds (0 when it was loaded before).
std::uint64_t load_updateinfo(Database& database, std::int64_t updateinfo_content_id, const MetadataFileToLoad& file);

}  // namespace chantal
