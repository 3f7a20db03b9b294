// Checksums as RPM repodata names them, computed with OpenSSL EVP.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace chantal {

enum class HashAlgorithm { sha1, sha224, sha256, sha384, sha512 };

// Parses a repodata checksum type: "sha" and "sha1" are SHA-1, "sha224" ...
// "sha512" the SHA-2 family. "md5" and anything else throw
// Error::unsupported naming the type (md5 is refused on purpose).
HashAlgorithm parse_hash_algorithm(std::string_view type);
// The name repodata uses when writing: "sha1", "sha224", ... "sha512".
std::string_view hash_algorithm_name(HashAlgorithm algorithm);
// Length of the lowercase hex digest, e.g. 64 for sha256.
std::size_t hex_digest_length(HashAlgorithm algorithm);

// Incremental hasher. Owns its EVP_MD_CTX. Not thread-safe.
class Hasher {
public:
    explicit Hasher(HashAlgorithm algorithm);
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    ~Hasher();

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // Lowercase hex digest. Ends the hasher: call once.
    std::string hex_digest();
    HashAlgorithm algorithm() const noexcept { return algorithm_; }

private:
    struct ContextDeleter {
        void operator()(evp_md_ctx_st* context) const noexcept;
    };
    HashAlgorithm algorithm_;
    std::unique_ptr<evp_md_ctx_st, ContextDeleter> context_;
};

std::string hex_digest_of(HashAlgorithm algorithm, std::string_view data);
inline std::string sha256_hex(std::string_view data) { return hex_digest_of(HashAlgorithm::sha256, data); }
// Hashes a whole file, streaming. Throws Error::io when it cannot be read.
std::string hex_digest_of_file(HashAlgorithm algorithm, const std::filesystem::path& path);

// True when text is a lowercase hex string of the algorithm's digest length.
bool is_hex_digest(std::string_view text, HashAlgorithm algorithm);

}  // namespace chantal
