// An APT Release file (the plain text of InRelease after its signature was
// checked, or Release): the suite's description and the index files it
// lists with their sizes and SHA256 sums (debian-repository-format).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chantal::metadata {

struct ReleaseIndexEntry {
    std::string path;    // relative to the Release file's directory: "main/binary-amd64/Packages.xz"
    std::uint64_t size = 0;  // bytes
    std::string sha256;  // lowercase hex
};

struct ReleaseFile {
    std::string origin;
    std::string label;
    std::string suite;
    std::string codename;
    std::string version;
    std::string description;
    std::optional<std::int64_t> date;         // seconds since the epoch
    std::optional<std::int64_t> valid_until;  // seconds since the epoch
    std::vector<std::string> architectures;
    std::vector<std::string> components;
    bool acquire_by_hash = false;
    bool not_automatic = false;
    bool but_automatic_upgrades = false;
    std::vector<ReleaseIndexEntry> files;  // from the SHA256 field, in file order

    // The entry for a path, or null.
    const ReleaseIndexEntry* find(std::string_view path) const;
};

// Parses the first stanza of a Release file. Errors (Error::corrupt, naming
// source_name and the line): not deb822, no SHA256 field (MD5Sum and SHA1
// alone are not trusted), a SHA256 line that is not "<64 hex> <size>
// <path>", a path that is not a clean relative path, the same path twice, a
// Date or Valid-Until that is not an RFC 1123 date.
ReleaseFile parse_release(std::string_view text, const std::string& source_name);

// Writes a Release file for a generated tree: the fields that are set, in
// Debian's order (Origin, Label, Suite, Version, Codename, Date,
// Valid-Until, NotAutomatic, ButAutomaticUpgrades, Acquire-By-Hash,
// Architectures, Components, Description, SHA256), dates in RFC 1123 form,
// index entries sorted by path. Deterministic: the same ReleaseFile gives
// the same bytes, and parse_release reads it back equal. Text fields must
// be one line (Error::invalid_input otherwise).
std::string write_release(const ReleaseFile& release);

}  // namespace chantal::metadata
