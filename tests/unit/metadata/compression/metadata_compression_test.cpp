#include <gtest/gtest.h>

#include <chrono>

#include <fcntl.h>

#include "core/base/hash.h"
#include "core/base/unique_fd.h"
#include "metadata/compression/compression.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test::decompress;
using test::expect_error;
using test::read_bytes;
using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

std::string sample_text() {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "<entry name=\"lib" + std::to_string(i * 7919 % 1000) + ".so\"/>\n";
    return text;
}

// Compresses `text` with a command-line tool ("xz -c", "bzip2 -c", ...).
std::string compress_with(const std::string& tool, const std::string& text) {
    TempDir dir;
    write_text(dir / "in", text);
    std::string output;
    EXPECT_EQ(run_command(tool + " < " + (dir / "in").string() + " > " + (dir / "out").string(), &output), 0) << output;
    return read_bytes(dir / "out");
}

TEST(MetadataCompression, DetectsFormatsByMagic) {
    EXPECT_EQ(detect_compression(std::string_view("\x1f\x8b\x08", 3)), CompressionFormat::gzip);
    EXPECT_EQ(detect_compression(std::string_view("\xfd" "7zXZ\0", 6)), CompressionFormat::xz);
    EXPECT_EQ(detect_compression("BZh91AY"), CompressionFormat::bzip2);
    EXPECT_EQ(detect_compression(std::string_view("\x28\xb5\x2f\xfd", 4)), CompressionFormat::zstd);
    EXPECT_EQ(detect_compression("<?xml"), CompressionFormat::plain);
    EXPECT_EQ(detect_compression(""), CompressionFormat::plain);
    EXPECT_EQ(detect_compression("\x1f"), CompressionFormat::plain);
}

TEST(MetadataCompression, ReadsEveryFormatProducedByTheRealTools) {
    const std::string text = sample_text();
    struct Case {
        const char* tool;
        CompressionFormat format;
    } cases[] = {{"gzip -c", CompressionFormat::gzip},
                 {"xz -c", CompressionFormat::xz},
                 {"bzip2 -c", CompressionFormat::bzip2},
                 {"zstd -q -c", CompressionFormat::zstd},
                 {"cat", CompressionFormat::plain}};
    for (const Case& c : cases) {
        std::string compressed = compress_with(c.tool, text);
        MemorySource source(compressed, "primary.xml");
        DecompressingReader reader(source, 1u << 30);
        EXPECT_EQ(reader.format(), c.format) << c.tool;
        EXPECT_EQ(reader.read_all(), text) << c.tool;
        EXPECT_EQ(reader.output_size(), text.size());
    }
}

// gzip run on a named file stores the name (FNAME) in the header; so does
// Python's gzip module, with a modification time. Hand-made repos have such
// files, and the header fields must be skipped, not refused.
TEST(MetadataCompression, ReadsGzipWithAStoredFileName) {
    TempDir dir;
    const std::string text = sample_text();
    write_text(dir / "primary.xml", text);
    ASSERT_EQ(run_command("gzip -k -N " + (dir / "primary.xml").string()), 0);
    const std::string compressed = read_bytes(dir / "primary.xml.gz");
    ASSERT_GT(compressed.size(), 10u);
    ASSERT_NE(static_cast<unsigned char>(compressed[3]) & 0x08, 0) << "gzip did not store the file name";
    MemorySource source(compressed, "primary.xml.gz");
    DecompressingReader reader(source, 1u << 30);
    EXPECT_EQ(reader.read_all(), text);
}

TEST(MetadataCompression, ReadsFromAFileDescriptorInSmallPieces) {
    TempDir dir;
    const std::string text = sample_text();
    write_text(dir / "f.xz", compress_with("xz -c", text));
    UniqueFd fd(::open((dir / "f.xz").c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd.valid());
    FdSource source(fd.get(), "f.xz");
    DecompressingReader reader(source, 1u << 30);
    std::string out;
    char buffer[7];
    while (std::size_t got = reader.read(buffer, sizeof buffer)) out.append(buffer, got);
    EXPECT_EQ(out, text);
}

TEST(MetadataCompression, ConcatenatedStreamsAreOneDocument) {
    for (const char* tool : {"gzip -c", "xz -c", "bzip2 -c", "zstd -q -c"}) {
        std::string data = compress_with(tool, "first half,") + compress_with(tool, "second half");
        EXPECT_EQ(decompress(data), "first half,second half") << tool;
    }
}

TEST(MetadataCompression, TruncatedDataIsCorruptAndNamesTheFile) {
    const std::string text = sample_text();
    for (const char* tool : {"gzip -c", "xz -c", "bzip2 -c", "zstd -q -c"}) {
        std::string compressed = compress_with(tool, text);
        std::string truncated = compressed.substr(0, compressed.size() / 2);
        expect_error([&] { decompress(truncated, "other.xml.x"); }, ErrorKind::corrupt, {"other.xml.x", "truncated"});
        // Even the last byte missing is noticed.
        std::string short_by_one = compressed.substr(0, compressed.size() - 1);
        expect_error([&] { decompress(short_by_one, "other.xml.x"); }, ErrorKind::corrupt, {"other.xml.x"});
    }
}

TEST(MetadataCompression, CorruptDataIsReported) {
    const std::string text = sample_text();
    for (const char* tool : {"gzip -c", "xz -c", "bzip2 -c", "zstd -q -c"}) {
        std::string compressed = compress_with(tool, text);
        for (std::size_t i = compressed.size() / 3; i < compressed.size() / 3 + 16; ++i) compressed[i] ^= 0x5a;
        expect_error([&] { decompress(compressed, "filelists.xml.x"); }, ErrorKind::corrupt, {"filelists.xml.x"});
    }
}

TEST(MetadataCompression, GzipTrailerChecksumAndLengthAreVerified) {
    const std::string compressed = compress_with("gzip -c", sample_text());
    // The member ends with CRC-32 (4 bytes) and the length mod 2^32 (4 bytes).
    for (std::size_t from_end : {8, 5, 4, 1}) {
        std::string damaged = compressed;
        damaged[damaged.size() - from_end] ^= 0x01;
        expect_error([&] { decompress(damaged, "primary.xml.gz"); }, ErrorKind::corrupt, {"primary.xml.gz"});
    }
}

TEST(MetadataCompression, TrailingGarbageIsCorruptButZeroPaddingIsNot) {
    std::string compressed = compress_with("gzip -c", "hello");
    EXPECT_EQ(decompress(compressed + std::string(100, '\0')), "hello");
    expect_error([&] { decompress(compressed + "garbage", "x.gz"); }, ErrorKind::corrupt, {"x.gz", "after the end"});
}

TEST(MetadataCompression, BombFailsFastAtTheLimit) {
    // 64 MiB of zeros; each tool packs it into at most a few dozen KiB.
    for (const char* tool : {"gzip -9 -c", "xz -0 -c", "bzip2 -1 -c", "zstd -1 -q -c"}) {
        TempDir dir;
        std::string output;
        ASSERT_EQ(run_command(std::string("head -c 67108864 /dev/zero | ") + tool + " > " + (dir / "bomb").string(),
                              &output),
                  0)
            << output;
        std::string bomb = read_bytes(dir / "bomb");
        ASSERT_LT(bomb.size(), 100u << 10) << tool;
        auto start = std::chrono::steady_clock::now();
        expect_error([&] { decompress(bomb, "primary.xml.bomb", 1u << 20); }, ErrorKind::invalid_input,
                     {"primary.xml.bomb", "exceeds the limit of 1048576 bytes"});
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500)) << tool;
    }
}

TEST(MetadataCompression, ExactlyTheLimitIsAllowed) {
    std::string data = gzip_compress(std::string(1000, 'a'));
    EXPECT_EQ(decompress(data, "x", 1000).size(), 1000u);
    expect_error([&] { decompress(data, "x", 999); }, ErrorKind::invalid_input, {"exceeds"});
    expect_error([&] { decompress(std::string(1000, 'a'), "plain", 999); }, ErrorKind::invalid_input, {"plain"});
}

TEST(MetadataCompression, GzipWriterIsDeterministicAndRoundTrips) {
    const std::string text = sample_text();
    std::string first, second;
    GzipDigests digests;
    {
        StringSink sink(first);
        GzipWriter writer(sink);
        // Many small writes and one big one.
        for (std::size_t i = 0; i < text.size(); i += 1000) writer.write(std::string_view(text).substr(i, 1000));
        std::string big(300000, 'z');
        writer.write(big);
        digests = writer.finish();
    }
    {
        StringSink sink(second);
        GzipWriter writer(sink);
        writer.write(text);
        writer.write(std::string(300000, 'z'));
        writer.finish();
    }
    EXPECT_EQ(first, second);
    ASSERT_GE(first.size(), 10u);
    // Header: magic, deflate, no flags, mtime 0, XFL 0, OS 3 (Unix).
    EXPECT_EQ(first.substr(0, 10), std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10));
    std::string expected_plain = text + std::string(300000, 'z');
    EXPECT_EQ(decompress(first), expected_plain);
    EXPECT_EQ(digests.compressed.size, first.size());
    EXPECT_EQ(digests.compressed.sha256, sha256_hex(first));
    EXPECT_EQ(digests.uncompressed.size, expected_plain.size());
    EXPECT_EQ(digests.uncompressed.sha256, sha256_hex(expected_plain));
    // gzip itself accepts it.
    TempDir dir;
    write_text(dir / "x.gz", first);
    EXPECT_EQ(run_command("gzip -t " + (dir / "x.gz").string()), 0);
}

TEST(MetadataCompression, GzipWriterOfNothingIsAValidEmptyStream) {
    std::string out = gzip_compress("");
    EXPECT_EQ(decompress(out), "");
    EXPECT_EQ(out, gzip_compress(""));
}

TEST(MetadataCompression, WritingAfterFinishIsABug) {
    std::string out;
    StringSink sink(out);
    GzipWriter writer(sink);
    writer.finish();
    expect_error([&] { writer.write("x"); }, ErrorKind::internal, {"after finish"});
}

}  // namespace
}  // namespace chantal::metadata
