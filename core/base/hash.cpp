#include "core/base/hash.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <vector>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"

namespace chantal {
namespace {

const EVP_MD* evp_digest(HashAlgorithm algorithm) {
    switch (algorithm) {
        case HashAlgorithm::sha1: return EVP_sha1();
        case HashAlgorithm::sha224: return EVP_sha224();
        case HashAlgorithm::sha256: return EVP_sha256();
        case HashAlgorithm::sha384: return EVP_sha384();
        case HashAlgorithm::sha512: return EVP_sha512();
    }
    throw Error::internal("unknown hash algorithm");
}

}  // namespace

HashAlgorithm parse_hash_algorithm(std::string_view type) {
    if (type == "sha" || type == "sha1") return HashAlgorithm::sha1;
    if (type == "sha224") return HashAlgorithm::sha224;
    if (type == "sha256") return HashAlgorithm::sha256;
    if (type == "sha384") return HashAlgorithm::sha384;
    if (type == "sha512") return HashAlgorithm::sha512;
    if (type == "md5")
        throw Error::unsupported("checksum type md5 is not accepted (too weak); the repository must use sha1 or sha2");
    throw Error::unsupported("unknown checksum type '" + std::string(type) + "'");
}

std::string_view hash_algorithm_name(HashAlgorithm algorithm) {
    switch (algorithm) {
        case HashAlgorithm::sha1: return "sha1";
        case HashAlgorithm::sha224: return "sha224";
        case HashAlgorithm::sha256: return "sha256";
        case HashAlgorithm::sha384: return "sha384";
        case HashAlgorithm::sha512: return "sha512";
    }
    return "unknown";
}

std::size_t hex_digest_length(HashAlgorithm algorithm) {
    switch (algorithm) {
        case HashAlgorithm::sha1: return 40;
        case HashAlgorithm::sha224: return 56;
        case HashAlgorithm::sha256: return 64;
        case HashAlgorithm::sha384: return 96;
        case HashAlgorithm::sha512: return 128;
    }
    return 0;
}

void Hasher::ContextDeleter::operator()(evp_md_ctx_st* context) const noexcept { EVP_MD_CTX_free(context); }

Hasher::Hasher(HashAlgorithm algorithm) : algorithm_(algorithm), context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), evp_digest(algorithm), nullptr) != 1)
        throw Error::internal("cannot initialise OpenSSL digest");
}
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

void Hasher::update(const void* data, std::size_t size) {
    if (size > 0 && EVP_DigestUpdate(context_.get(), data, size) != 1)
        throw Error::internal("OpenSSL digest update failed");
}

std::string Hasher::hex_digest() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1)
        throw Error::internal("OpenSSL digest final failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex(length * 2, '0');
    for (unsigned int i = 0; i < length; ++i) {
        hex[2 * i] = kHex[digest[i] >> 4];
        hex[2 * i + 1] = kHex[digest[i] & 0x0f];
    }
    return hex;
}

std::string hex_digest_of(HashAlgorithm algorithm, std::string_view data) {
    Hasher hasher(algorithm);
    hasher.update(data);
    return hasher.hex_digest();
}

std::string hex_digest_of_file(HashAlgorithm algorithm, const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + path.string(), errno);
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    Hasher hasher(algorithm);
    read_to_end(fd.get(), path.string(), 1 << 20, [&](const char* data, std::size_t size) { hasher.update(data, size); });
    return hasher.hex_digest();
}

bool is_hex_digest(std::string_view text, HashAlgorithm algorithm) {
    if (text.size() != hex_digest_length(algorithm)) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace chantal
