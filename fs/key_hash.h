// The 64-bit hash inode numbers are made of (inode_table.h): fed in pieces,
// equal byte strings hash equally however they are split, so the hash of a
// common prefix (a directory's part of its children's keys) is computed once
// and copied. Eight bytes per step (murmur3-style mixing, fmix64 finish):
// listing a 50k-entry directory hashes every child's key.
//
// Deterministic (no seed): the same key gives the same number in every run.
// Thread safety: a value type.
#pragma once

#include <cstdint>
#include <string_view>

namespace chantal::fs {

class KeyHash {
public:
    KeyHash& feed(std::string_view bytes);
    // The hash of everything fed so far (the object may be fed further).
    std::uint64_t value() const;

private:
    static std::uint64_t mix(std::uint64_t state, std::uint64_t word);
    std::uint64_t state_ = 0x9e3779b97f4a7c15ull;
    std::uint64_t pending_ = 0;        // the last bytes_ % 8 bytes, little-endian
    std::uint64_t bytes_ = 0;          // bytes fed
};

// The hash of `key` in one piece.
inline std::uint64_t key_hash(std::string_view key) { return KeyHash().feed(key).value(); }

}  // namespace chantal::fs
