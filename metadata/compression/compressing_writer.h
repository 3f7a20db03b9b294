// Compressed output of generated index files in one of the formats dnf and
// yum read: gzip (GzipWriter), zstd, bzip2, xz, or none (the bytes as written).
// Each writer also measures and checksums both streams, as repomd.xml
// records them (GzipDigests: for `plain` both are the same stream).
//
// Deterministic: fixed levels and parameters and no timestamps, so identical
// input gives identical bytes with the same library versions. gzip: level 6
// (GzipWriter); zstd: level 10, no checksum frame flag; bzip2: block size 9;
// xz: preset 1, CRC64 check, blocks of 4 MiB compressed on up to 4 threads
// (the bytes do not depend on the thread count).
//
// A writer borrows `output`, which must outlive it. finish() must be called
// once to end the stream; writing after finish() is an internal error; a
// writer destroyed unfinished releases its codec state and writes nothing
// more. Not thread-safe: one thread uses a writer at a time.
#pragma once

#include <memory>

#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"

namespace chantal::metadata {

class CompressingWriter : public ByteSink {
public:
    using ByteSink::write;
    virtual GzipDigests finish() = 0;
};

// `format` is any CompressionFormat: plain, gzip, zstd, bzip2 or xz.
std::unique_ptr<CompressingWriter> make_compressing_writer(CompressionFormat format, ByteSink& output);

}  // namespace chantal::metadata
