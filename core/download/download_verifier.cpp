#include "core/download/download_verifier.h"

namespace chantal {

StreamVerifier::StreamVerifier(std::optional<ExpectedChecksum> expected_checksum,
                               std::optional<std::uint64_t> expected_size)
    : expected_checksum_(std::move(expected_checksum)),
      expected_size_(expected_size),
      sha256_(HashAlgorithm::sha256) {
    if (expected_checksum_ && expected_checksum_->algorithm != HashAlgorithm::sha256)
        upstream_.emplace(expected_checksum_->algorithm);
}

bool StreamVerifier::update(const void* data, std::size_t size) {
    if (expected_size_ && size_ + size > *expected_size_) return false;
    sha256_.update(data, size);
    if (upstream_) upstream_->update(data, size);
    size_ += size;
    return true;
}

StreamVerifier::Outcome StreamVerifier::finish() {
    Outcome outcome;
    outcome.sha256 = sha256_.hex_digest();
    std::string upstream_hex = upstream_ ? upstream_->hex_digest() : outcome.sha256;
    if (expected_size_ && size_ != *expected_size_) {
        outcome.problem = "size mismatch";
        outcome.detail = "expected " + std::to_string(*expected_size_) + " bytes got " + std::to_string(size_);
    } else if (expected_checksum_ && upstream_hex != expected_checksum_->hex) {
        outcome.problem = "checksum mismatch";
        outcome.detail = "expected " + std::string(hash_algorithm_name(expected_checksum_->algorithm)) + " " +
                         expected_checksum_->hex + " got " + upstream_hex;
    }
    return outcome;
}

}  // namespace chantal
