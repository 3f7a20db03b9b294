#include "core/base/hash.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "support/temp_dir.h"

using namespace chantal;

TEST(Hash, KnownDigests) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex_digest_of(HashAlgorithm::sha1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hex_digest_of(HashAlgorithm::sha512, "").substr(0, 16), "cf83e1357eefb8bd");
}

TEST(Hash, ParsesRepodataNamesAndRefusesMd5) {
    EXPECT_EQ(parse_hash_algorithm("sha"), HashAlgorithm::sha1);
    EXPECT_EQ(parse_hash_algorithm("sha1"), HashAlgorithm::sha1);
    EXPECT_EQ(parse_hash_algorithm("sha224"), HashAlgorithm::sha224);
    EXPECT_EQ(parse_hash_algorithm("sha384"), HashAlgorithm::sha384);
    EXPECT_EQ(parse_hash_algorithm("sha512"), HashAlgorithm::sha512);
    try {
        parse_hash_algorithm("md5");
        FAIL() << "md5 accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::unsupported);
        EXPECT_NE(std::string(error.what()).find("md5"), std::string::npos);
    }
    EXPECT_THROW(parse_hash_algorithm("crc32"), Error);
}

TEST(Hash, FileDigestMatchesMemoryDigest) {
    test_support::TempDir dir;
    std::string data(3 << 20, 'x');
    data[12345] = 'y';
    test_support::write_text(dir / "f", data);
    EXPECT_EQ(hex_digest_of_file(HashAlgorithm::sha256, dir / "f"), sha256_hex(data));
    EXPECT_TRUE(is_hex_digest(sha256_hex(data), HashAlgorithm::sha256));
    EXPECT_FALSE(is_hex_digest("ABC", HashAlgorithm::sha256));
}
