// Loads a repository's primary, filelists and other files (already verified
// and in the pool) into the catalogue: packages new to the catalogue are
// inserted with their per-package XML; known ones (same pkgid) are reused.
// Streaming: memory holds one package element at a time plus the returned
// list (no XML in it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/sync/rpm/package_records.h"

namespace chantal {

struct MetadataFileToLoad {
    std::filesystem::path path;              // the pool file
    std::string name;                        // for messages: "rhel9-baseos: repodata/...-primary.xml.gz"
    std::optional<std::uint64_t> open_size;  // declared decompressed size (bomb guard)
};

// Reads primary (required) and filelists/other (optional) into the
// catalogue. Call inside the caller's Transaction. Returns every package of
// primary in file order (a package primary lists twice comes twice, with
// the same package_id). Every file is read to its end, also when all its
// packages are catalogued already; a file that does not parse throws
// chantal::Error naming the file and line (the caller's Transaction then
// rolls back whatever was written).
std::vector<CataloguedPackage> load_package_metadata(Database& database, const MetadataFileToLoad& primary,
                                                     const std::optional<MetadataFileToLoad>& filelists,
                                                     const std::optional<MetadataFileToLoad>& other);

// The decompression limit for a metadata file: the declared open-size plus
// slack, or a generous cap when none is declared.
std::uint64_t decompression_limit(const std::optional<std::uint64_t>& open_size);

}  // namespace chantal
