// Compressed metadata: format detection by magic bytes, a streaming
// decompressing reader with a hard output limit (decompression-bomb guard),
// and a deterministic streaming gzip writer that also checksums both streams.
//
// Not thread-safe: each object is used by one thread at a time; distinct
// objects are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/hash.h"
#include "metadata/compression/byte_stream.h"

namespace chantal::metadata {

enum class CompressionFormat { plain, gzip, xz, bzip2, zstd };

// Detects the format from the first bytes of the data (up to 6 are looked
// at). Anything without a known magic is plain.
CompressionFormat detect_compression(std::string_view first_bytes);
// "plain", "gzip", "xz", "bzip2", "zstd".
std::string_view compression_format_name(CompressionFormat format);
// Usual file name suffix: "", ".gz", ".xz", ".bz2", ".zst".
std::string_view compression_suffix(CompressionFormat format);

// Reads decompressed bytes from a ByteSource, detecting the format from its
// first bytes. Concatenated streams/members (as `cat a.gz b.gz` makes) are
// decompressed as one.
//
// Errors (chantal::Error, message naming source.name()):
//  - corrupt: damaged compressed data, or data that ends before its stream does
//    ("primary.xml.gz: truncated gzip data");
//  - invalid_input: the output would exceed max_output bytes. The check is made
//    while decompressing, so a bomb fails after at most max_output bytes were
//    produced and never allocates more than the reader's fixed buffers.
//
// The reader borrows `source`, which must outlive it. Internal buffers are a
// fixed 256 KiB.
class DecompressingReader {
public:
    DecompressingReader(ByteSource& source, std::uint64_t max_output);
    ~DecompressingReader();
    DecompressingReader(const DecompressingReader&) = delete;
    DecompressingReader& operator=(const DecompressingReader&) = delete;

    // Fills up to `size` bytes; returns 0 only at the end of the data.
    std::size_t read(void* buffer, std::size_t size);
    // Reads everything that is left (for small files such as repomd.xml).
    std::string read_all();

    CompressionFormat format() const noexcept;
    // Decompressed bytes returned so far.
    std::uint64_t output_size() const noexcept;
    const std::string& name() const noexcept;

    class Decoder;  // one implementation per format, in compression.cpp

private:
    std::size_t fill_input();

    ByteSource& source_;
    std::uint64_t max_output_;
    std::uint64_t produced_ = 0;
    std::unique_ptr<unsigned char[]> input_;
    std::size_t input_begin_ = 0;
    std::size_t input_end_ = 0;
    bool input_eof_ = false;
    CompressionFormat format_ = CompressionFormat::plain;
    std::unique_ptr<Decoder> decoder_;
    bool finished_ = false;
};

// Size and checksums of one stream, as repomd.xml records them.
struct StreamDigest {
    std::uint64_t size = 0;
    std::string sha256;  // lowercase hex
};

struct GzipDigests {
    StreamDigest compressed;    // repomd <checksum>, <size>
    StreamDigest uncompressed;  // repomd <open-checksum>, <open-size>
};

// A ByteSink that gzips what is written to it into `output` (borrowed, must
// outlive the writer). Deterministic: level 6, default strategy, header mtime
// 0, no file name, XFL 0, OS byte 3 (Unix): identical input gives identical
// bytes on every machine with the same zlib. finish() must be called once
// to end the stream; it returns sizes and sha256 of both streams. Writing
// after finish() is an internal error. Destroying an unfinished writer
// releases zlib state and writes nothing more.
class GzipWriter : public ByteSink {
public:
    explicit GzipWriter(ByteSink& output);
    ~GzipWriter() override;
    GzipWriter(const GzipWriter&) = delete;
    GzipWriter& operator=(const GzipWriter&) = delete;

    void write(const void* data, std::size_t size) override;
    using ByteSink::write;
    GzipDigests finish();

private:
    struct State;
    // Hashes and deflates staged bytes / the given bytes; Z_FINISH ends the stream.
    void deflate_pending(int flush);
    void deflate_bytes(const unsigned char* data, std::size_t size, int flush);
    std::unique_ptr<State> state_;
};

// gzip-compresses a whole buffer with GzipWriter's settings.
std::string gzip_compress(std::string_view data);

}  // namespace chantal::metadata
