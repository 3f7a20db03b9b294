// StreamVerifier: checks a transfer's bytes as they arrive. It computes the
// sha256 (the pool's address) and, when upstream names another algorithm,
// that digest too, in the same pass: each byte is hashed once per distinct
// algorithm (one hasher when upstream is sha256 too). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/hash.h"

namespace chantal {

// A checksum as repodata states it: algorithm and lowercase hex digest.
struct ExpectedChecksum {
    HashAlgorithm algorithm = HashAlgorithm::sha256;
    std::string hex;
};

class StreamVerifier {
public:
    StreamVerifier(std::optional<ExpectedChecksum> expected_checksum, std::optional<std::uint64_t> expected_size);

    // Hashes the bytes. Returns false, hashing nothing, when they would take
    // the total past the expected size (the caller aborts the transfer).
    bool update(const void* data, std::size_t size);
    // Bytes hashed so far.
    std::uint64_t size() const noexcept { return size_; }

    struct Outcome {
        std::string sha256;     // lowercase hex of everything hashed
        std::string problem;    // "" when size and checksum match, else
                                // "size mismatch" or "checksum mismatch"
        std::string detail;     // e.g. "expected sha1 X got Y", "expected 10 bytes got 9"
    };
    // Ends the verifier (call once): digests and the verdict.
    Outcome finish();

private:
    std::optional<ExpectedChecksum> expected_checksum_;
    std::optional<std::uint64_t> expected_size_;
    Hasher sha256_;
    std::optional<Hasher> upstream_;  // only when upstream's algorithm is not sha256
    std::uint64_t size_ = 0;
};

}  // namespace chantal
