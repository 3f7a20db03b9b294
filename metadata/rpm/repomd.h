// repomd.xml: the index of a repository's metadata files. Parsing keeps
// every <data> record (primary, filelists, other, sqlite databases, zchunk,
// updateinfo, comps, modules, productid, ...); writing is deterministic:
// revision and timestamps come from the caller, never from the clock.
//
// Thread-safe (pure functions over values).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/hash.h"
#include "metadata/compression/compression.h"

namespace chantal::metadata {

struct RepomdChecksum {
    HashAlgorithm algorithm = HashAlgorithm::sha256;
    std::string value;  // lowercase hex
};

struct RepomdRecord {
    std::string type;           // <data type="...">
    std::string location_href;  // as written: data, not a local path
    RepomdChecksum checksum;    // of the file as stored
    std::optional<RepomdChecksum> open_checksum;    // of the decompressed file
    std::optional<RepomdChecksum> header_checksum;  // zchunk header
    std::optional<std::uint64_t> size;              // bytes
    std::optional<std::uint64_t> open_size;         // bytes
    std::optional<std::uint64_t> header_size;       // zchunk header bytes
    std::optional<std::int64_t> timestamp;          // seconds since the epoch
    std::optional<std::uint64_t> database_version;  // sqlite databases
};

struct RepomdDistroTag {
    std::string cpeid;  // "" when absent
    std::string name;
};

struct Repomd {
    std::string revision;  // "" when absent
    std::vector<std::string> content_tags;
    std::vector<std::string> repo_tags;
    std::vector<RepomdDistroTag> distro_tags;
    std::vector<RepomdRecord> records;  // in file order

    // The first record of this type, nullptr when none.
    const RepomdRecord* find(std::string_view type) const;
};

// Parses repomd.xml (any compression). Each <data> needs a type, a
// location href and a checksum with a supported type (md5 is refused);
// errors name the file and line.
Repomd read_repomd(DecompressingReader& input);
// Convenience for in-memory documents; `name` is used in errors.
Repomd parse_repomd(std::string_view xml, const std::string& name);

// repomd.xml in createrepo_c's layout, records in the given order, optional
// fields only when set. Same input, same bytes.
std::string write_repomd(const Repomd& repomd);

// "repodata/<sha256>-<type><suffix>", e.g. ("ab..", "primary", ".xml.gz").
std::string checksum_prefixed_href(std::string_view sha256, std::string_view type, std::string_view suffix);

}  // namespace chantal::metadata
