// The multi-line checksum fields of APT indexes: Release's SHA256 and
// Sources' Checksums-Sha256, one "<sha256> <size> <name>" line each (the
// field's first line is usually empty). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chantal::metadata {

struct ChecksumLine {
    std::string sha256;      // lowercase hex
    std::uint64_t size = 0;  // bytes
    std::string name;        // as written; the caller checks what a name may be
};

// Splits a field's value into its lines. A line that is not three words, a
// sha256 that is not 64 lowercase hex digits, or a size that is not a
// number fails with Error::corrupt("<field> line is not '<sha256> <size>
// <name>': '<line>'") or ("bad size in <field>: '<line>'"); callers prefix
// the index and line.
std::vector<ChecksumLine> read_checksum_lines(std::string_view value, std::string_view field);

}  // namespace chantal::metadata
