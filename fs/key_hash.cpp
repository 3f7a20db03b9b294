#include "fs/key_hash.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace chantal::fs {
namespace {

// Eight bytes at `bytes` as a little-endian word.
std::uint64_t load_little_endian(const char* bytes) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes, sizeof word);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    return word;
}

// The first `count` (< 8) bytes at `bytes` as a little-endian word. Byte by
// byte: a variable-length memcpy into a word stalls the load after it.
std::uint64_t load_little_endian(const char* bytes, std::size_t count) {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < count; ++i) word |= std::uint64_t(static_cast<unsigned char>(bytes[i])) << (8 * i);
    return word;
}

std::uint64_t fmix64(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

}  // namespace

std::uint64_t KeyHash::mix(std::uint64_t state, std::uint64_t word) {
    word *= 0x87c37b91114253d5ull;
    word = std::rotl(word, 31);
    word *= 0x4cf5ad432745937full;
    state ^= word;
    return std::rotl(state, 27) * 5 + 0x52dce729;
}

KeyHash& KeyHash::feed(std::string_view bytes) {
    // Locals rather than members in the loops: no store per step.
    const char* at = bytes.data();
    std::size_t left = bytes.size();
    std::uint64_t state = state_;
    std::uint64_t pending = pending_;
    std::size_t filled = bytes_ % 8;  // bytes in `pending`
    bytes_ += left;
    if (filled != 0) {  // complete the partial word first
        const auto take = std::min(8 - filled, left);
        pending |= load_little_endian(at, take) << (8 * filled);
        at += take, left -= take, filled += take;
        if (filled == 8) state = mix(state, pending), pending = 0;
    }
    for (; left >= 8; at += 8, left -= 8) state = mix(state, load_little_endian(at));
    if (left > 0) pending = load_little_endian(at, left);  // the partial word was completed above
    state_ = state;
    pending_ = pending;
    return *this;
}

std::uint64_t KeyHash::value() const {
    return fmix64((bytes_ % 8 != 0 ? mix(state_, pending_) : state_) ^ bytes_);
}

}  // namespace chantal::fs
