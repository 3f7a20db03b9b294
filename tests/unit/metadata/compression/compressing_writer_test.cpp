// The writers of generated index files: each format round-trips through
// the command-line tool of that format and through DecompressingReader, is
// deterministic, and reports the sizes and sha256 repomd.xml records.
#include "metadata/compression/compressing_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test::read_bytes;
using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

std::string sample_text() {
    std::string text = "<?xml version=\"1.0\"?>\n<metadata>\n";
    for (int i = 0; i < 30000; ++i) text += "<package name=\"lib" + std::to_string(i * 7919 % 1013) + "\"/>\n";
    return text + "</metadata>\n";
}

struct Written {
    std::string bytes;
    GzipDigests digests;
};

// Writes `text` in pieces of `piece` bytes (0: one write).
Written write_with(CompressionFormat format, const std::string& text, std::size_t piece = 0) {
    Written written;
    StringSink sink(written.bytes);
    auto writer = make_compressing_writer(format, sink);
    if (piece == 0) writer->write(text);
    for (std::size_t at = 0; piece > 0 && at < text.size(); at += piece) writer->write(std::string_view(text).substr(at, piece));
    written.digests = writer->finish();
    return written;
}

std::string decompress_with(const std::string& tool, const std::string& bytes) {
    TempDir dir;
    write_text(dir / "in", bytes);
    std::string output;
    EXPECT_EQ(run_command(tool + " < " + (dir / "in").string() + " > " + (dir / "out").string(), &output), 0) << output;
    return read_bytes(dir / "out");
}

struct Case {
    CompressionFormat format;
    const char* tool;  // decompresses standard input
};
const Case kCases[] = {{CompressionFormat::gzip, "gzip -dc"},
                       {CompressionFormat::zstd, "zstd -q -dc"},
                       {CompressionFormat::bzip2, "bzip2 -dc"},
                       {CompressionFormat::xz, "xz -dc"},
                       {CompressionFormat::plain, "cat"}};

TEST(CompressingWriter, EachFormatRoundTripsThroughItsToolAndTheReader) {
    const std::string text = sample_text();
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.tool);
        const Written written = write_with(c.format, text);
        EXPECT_EQ(detect_compression(written.bytes), c.format);
        EXPECT_EQ(decompress_with(c.tool, written.bytes), text);
        MemorySource source(written.bytes, "primary.xml");
        DecompressingReader reader(source, 1u << 30);
        EXPECT_EQ(reader.read_all(), text);
        if (c.format != CompressionFormat::plain) {
            EXPECT_LT(written.bytes.size(), text.size() / 4);
        }
    }
}

TEST(CompressingWriter, DigestsAreThoseOfBothStreams) {
    const std::string text = sample_text();
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.tool);
        const Written written = write_with(c.format, text);
        EXPECT_EQ(written.digests.compressed.size, written.bytes.size());
        EXPECT_EQ(written.digests.compressed.sha256, sha256_hex(written.bytes));
        EXPECT_EQ(written.digests.uncompressed.size, text.size());
        EXPECT_EQ(written.digests.uncompressed.sha256, sha256_hex(text));
    }
}

TEST(CompressingWriter, IsDeterministicWhateverTheWriteSizes) {
    const std::string text = sample_text();
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.tool);
        const Written whole = write_with(c.format, text);
        EXPECT_EQ(write_with(c.format, text).bytes, whole.bytes);
        EXPECT_EQ(write_with(c.format, text, 4093).bytes, whole.bytes);
    }
}

TEST(CompressingWriter, EmptyInputIsAValidStream) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.tool);
        const Written written = write_with(c.format, "");
        EXPECT_EQ(decompress_with(c.tool, written.bytes), "");
        EXPECT_EQ(written.digests.uncompressed.size, 0u);
    }
}

// A few MB of less regular text, written in uneven pieces: several codec
// output buffers' worth of compressed bytes.
TEST(CompressingWriter, LargeInputRoundTrips) {
    std::string text;
    std::uint32_t state = 12345;
    while (text.size() < (5u << 20)) {
        state = state * 1664525u + 1013904223u;
        text += "<file>/usr/share/doc/pkg" + std::to_string(state % 100003) + "/" + std::to_string(state >> 7) + "</file>\n";
    }
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.tool);
        const Written written = write_with(c.format, text, 65521);
        EXPECT_EQ(written.digests.compressed.size, written.bytes.size());
        EXPECT_EQ(written.digests.compressed.sha256, sha256_hex(written.bytes));
        EXPECT_EQ(written.digests.uncompressed.size, text.size());
        EXPECT_EQ(written.digests.uncompressed.sha256, sha256_hex(text));
        EXPECT_TRUE(decompress_with(c.tool, written.bytes) == text);
        MemorySource source(written.bytes, "filelists.xml");
        DecompressingReader reader(source, 1u << 30);
        EXPECT_TRUE(reader.read_all() == text);
    }
}

// xz: a CRC64 check in the stream header, and the integrity test of xz(1).
TEST(CompressingWriter, XzStreamHasACrc64CheckAndPassesXzTest) {
    for (const std::string& text : {sample_text(), std::string()}) {
        const Written written = write_with(CompressionFormat::xz, text);
        ASSERT_GE(written.bytes.size(), 12u);
        EXPECT_EQ(written.bytes.substr(0, 6), std::string("\xFD" "7zXZ\0", 6));
        EXPECT_EQ(written.bytes[6], '\0');  // stream flags: reserved byte, then the check type
        EXPECT_EQ(written.bytes[7], '\x04');  // LZMA_CHECK_CRC64
        TempDir dir;
        write_text(dir / "primary.xml.xz", written.bytes);
        std::string output;
        EXPECT_EQ(run_command("xz -t " + (dir / "primary.xml.xz").string(), &output), 0) << output;
    }
}

// xz over several 4 MiB blocks: the same bytes as xz(1) writes in its
// multi-threaded mode with 2 and with 4 threads (so the output does not
// depend on this machine's core count), and they decompress to the input.
TEST(CompressingWriter, XzOfSeveralBlocksIsTheSameWhateverTheThreadCount) {
    std::string text;
    for (std::uint64_t i = 0; text.size() < 9 * 1024 * 1024; ++i)
        text += "Package: lib" + std::to_string(i * 7919 % 100003) + "\nVersion: " + std::to_string(i % 97) + ".0-1\n\n";
    const Written written = write_with(CompressionFormat::xz, text, 1 << 20);
    TempDir dir;
    write_text(dir / "Packages", text);
    for (const char* threads : {"2", "4"}) {
        const std::string out = (dir / (std::string("Packages.") + threads + ".xz")).string();
        std::string output;
        ASSERT_EQ(run_command(std::string("xz -1 --check=crc64 --block-size=4MiB -T") + threads + " -c " +
                                  (dir / "Packages").string() + " > " + out,
                              &output),
                  0)
            << output;
        EXPECT_TRUE(read_bytes(out) == written.bytes) << threads << " threads";
    }
    EXPECT_TRUE(decompress_with("xz -dc", written.bytes) == text);
}

TEST(CompressingWriter, WritingAfterFinishIsAnInternalError) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.tool);
        std::string bytes;
        StringSink sink(bytes);
        auto writer = make_compressing_writer(c.format, sink);
        writer->finish();
        EXPECT_THROW(writer->write("more"), Error);
        EXPECT_THROW(writer->finish(), Error);
    }
}

}  // namespace
}  // namespace chantal::metadata
