#include "fs/key_hash.h"

#include <bit>
#include <cstring>

namespace chantal::fs {
namespace {

std::uint64_t load_little_endian(const char* bytes) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes, sizeof word);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
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

void KeyHash::mix(std::uint64_t word) {
    word *= 0x87c37b91114253d5ull;
    word = std::rotl(word, 31);
    word *= 0x4cf5ad432745937full;
    state_ ^= word;
    state_ = std::rotl(state_, 27) * 5 + 0x52dce729;
}

KeyHash& KeyHash::feed(std::string_view bytes) {
    const char* at = bytes.data();
    std::size_t left = bytes.size();
    // Complete a partial word first.
    while (left > 0 && bytes_ % 8 != 0) {
        pending_ |= std::uint64_t(static_cast<unsigned char>(*at)) << (8 * (bytes_ % 8));
        ++at, --left, ++bytes_;
        if (bytes_ % 8 == 0) {
            mix(pending_);
            pending_ = 0;
        }
    }
    for (; left >= 8; at += 8, left -= 8, bytes_ += 8) mix(load_little_endian(at));
    for (; left > 0; ++at, --left, ++bytes_)
        pending_ |= std::uint64_t(static_cast<unsigned char>(*at)) << (8 * (bytes_ % 8));
    return *this;
}

std::uint64_t KeyHash::value() const {
    KeyHash copy = *this;
    if (bytes_ % 8 != 0) copy.mix(copy.pending_);
    return fmix64(copy.state_ ^ bytes_);
}

}  // namespace chantal::fs
