// The compressing writers of compressing_writer.h: one class per format,
// each owning its codec handle.
#include "metadata/compression/compressing_writer.h"

#include <bzlib.h>
#include <lzma.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "core/base/error.h"
#include "core/base/hash.h"

namespace chantal::metadata {
namespace {

constexpr std::size_t kOutputBuffer = 256 * 1024;
constexpr int kZstdLevel = 10;
constexpr int kBzip2BlockSize = 9;
// Preset 1: about 7x faster than xz's default 6 on APT Packages text, for
// output a few percent larger; generated indexes are written on demand.
constexpr std::uint32_t kXzPreset = 1;
// xz blocks of 4 MiB, compressed on up to kXzMaxThreads threads: a 50 MiB
// Packages is 13 blocks; the output depends on the block size only, never
// on the thread count (liblzma's multi-threaded encoder stores each block's
// sizes in its header), so every machine writes the same bytes. About 1%
// larger than one block.
constexpr std::uint64_t kXzBlockSize = 4 * 1024 * 1024;
constexpr std::uint32_t kXzMaxThreads = 4;

// Size and sha256 of one stream.
class StreamMeter {
public:
    void add(const void* data, std::size_t size) {
        hash_.update(data, size);
        size_ += size;
    }
    StreamDigest finish() { return {size_, hash_.hex_digest()}; }

private:
    Hasher hash_{HashAlgorithm::sha256};
    std::uint64_t size_ = 0;
};

// The common part: metering both streams and guarding the order of calls.
class MeteredWriter : public CompressingWriter {
public:
    explicit MeteredWriter(ByteSink& output) : output_(output) {}

    void write(const void* data, std::size_t size) final {
        if (finished_) throw Error::internal("CompressingWriter::write after finish");
        uncompressed_.add(data, size);
        compress(static_cast<const unsigned char*>(data), size);
    }

    GzipDigests finish() final {
        if (finished_) throw Error::internal("CompressingWriter::finish called twice");
        finished_ = true;
        end_stream();
        return {compressed_.finish(), uncompressed_.finish()};
    }

protected:
    virtual void compress(const unsigned char* data, std::size_t size) = 0;
    virtual void end_stream() = 0;

    void emit(const void* data, std::size_t size) {
        if (size == 0) return;
        compressed_.add(data, size);
        output_.write(data, size);
    }

private:
    ByteSink& output_;
    StreamMeter compressed_;
    StreamMeter uncompressed_;
    bool finished_ = false;
};

class PlainWriter final : public MeteredWriter {
public:
    using MeteredWriter::MeteredWriter;

private:
    void compress(const unsigned char* data, std::size_t size) override { emit(data, size); }
    void end_stream() override {}
};

// GzipWriter already meters both streams; this adapts its interface.
class GzipCompressingWriter final : public CompressingWriter {
public:
    explicit GzipCompressingWriter(ByteSink& output) : gzip_(output) {}
    void write(const void* data, std::size_t size) override { gzip_.write(data, size); }
    GzipDigests finish() override { return gzip_.finish(); }

private:
    GzipWriter gzip_;
};

class ZstdWriter final : public MeteredWriter {
public:
    explicit ZstdWriter(ByteSink& output) : MeteredWriter(output), context_(ZSTD_createCCtx()), out_(new char[kOutputBuffer]) {
        if (!context_) throw Error::internal("ZSTD_createCCtx failed");
        check(ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_compressionLevel, kZstdLevel));
        check(ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_checksumFlag, 0));
    }

private:
    struct ContextDeleter {
        void operator()(ZSTD_CCtx* context) const noexcept { ZSTD_freeCCtx(context); }
    };

    static void check(std::size_t result) {
        if (ZSTD_isError(result)) throw Error::internal(std::string("zstd compression failed: ") + ZSTD_getErrorName(result));
    }

    void run(const unsigned char* data, std::size_t size, ZSTD_EndDirective directive) {
        ZSTD_inBuffer input{data, size, 0};
        for (;;) {
            ZSTD_outBuffer output{out_.get(), kOutputBuffer, 0};
            const std::size_t remaining = ZSTD_compressStream2(context_.get(), &output, &input, directive);
            check(remaining);
            emit(out_.get(), output.pos);
            const bool done = directive == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
            if (done) return;
        }
    }

    void compress(const unsigned char* data, std::size_t size) override { run(data, size, ZSTD_e_continue); }
    void end_stream() override { run(nullptr, 0, ZSTD_e_end); }

    std::unique_ptr<ZSTD_CCtx, ContextDeleter> context_;
    std::unique_ptr<char[]> out_;
};

class Bzip2Writer final : public MeteredWriter {
public:
    explicit Bzip2Writer(ByteSink& output) : MeteredWriter(output), out_(new char[kOutputBuffer]) {
        std::memset(&stream_, 0, sizeof stream_);
        if (BZ2_bzCompressInit(&stream_, kBzip2BlockSize, 0, 0) != BZ_OK) throw Error::internal("BZ2_bzCompressInit failed");
    }
    ~Bzip2Writer() override { BZ2_bzCompressEnd(&stream_); }
    Bzip2Writer(const Bzip2Writer&) = delete;
    Bzip2Writer& operator=(const Bzip2Writer&) = delete;

private:
    // bzip2 counts input in unsigned int: larger writes go in pieces.
    void compress(const unsigned char* data, std::size_t size) override {
        while (size > 0) {
            const auto piece = static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30));
            stream_.next_in = reinterpret_cast<char*>(const_cast<unsigned char*>(data));
            stream_.avail_in = piece;
            while (stream_.avail_in > 0) step(BZ_RUN, BZ_RUN_OK);
            data += piece;
            size -= piece;
        }
    }

    void end_stream() override {
        stream_.next_in = nullptr;
        stream_.avail_in = 0;
        while (!step(BZ_FINISH, BZ_FINISH_OK)) {
        }
    }

    // One BZ2_bzCompress call; true once the stream has ended.
    bool step(int action, int expected) {
        stream_.next_out = out_.get();
        stream_.avail_out = kOutputBuffer;
        const int result = BZ2_bzCompress(&stream_, action);
        if (result != expected && result != BZ_STREAM_END)
            throw Error::internal("bzip2 compression failed (" + std::to_string(result) + ")");
        emit(out_.get(), kOutputBuffer - stream_.avail_out);
        return result == BZ_STREAM_END;
    }

    bz_stream stream_;
    std::unique_ptr<char[]> out_;
};

class XzWriter final : public MeteredWriter {
public:
    explicit XzWriter(ByteSink& output) : MeteredWriter(output), out_(new unsigned char[kOutputBuffer]) {
        lzma_mt options{};
        options.threads = std::clamp(std::thread::hardware_concurrency(), 1u, kXzMaxThreads);
        options.block_size = kXzBlockSize;
        options.preset = kXzPreset;
        options.check = LZMA_CHECK_CRC64;
        const lzma_ret result = lzma_stream_encoder_mt(&stream_, &options);
        if (result != LZMA_OK) {
            lzma_end(&stream_);  // allowed after a failed init; the destructor will not run
            throw Error::internal("lzma_stream_encoder_mt failed (" + std::to_string(static_cast<int>(result)) + ")");
        }
    }
    ~XzWriter() override { lzma_end(&stream_); }
    XzWriter(const XzWriter&) = delete;
    XzWriter& operator=(const XzWriter&) = delete;

private:
    void compress(const unsigned char* data, std::size_t size) override {
        stream_.next_in = data;
        stream_.avail_in = size;
        while (stream_.avail_in > 0) step(LZMA_RUN);
    }

    void end_stream() override {
        stream_.next_in = nullptr;
        stream_.avail_in = 0;
        while (!step(LZMA_FINISH)) {
        }
    }

    // One lzma_code call; true once the stream has ended.
    bool step(lzma_action action) {
        stream_.next_out = out_.get();
        stream_.avail_out = kOutputBuffer;
        const lzma_ret result = lzma_code(&stream_, action);
        if (result != LZMA_OK && result != LZMA_STREAM_END)
            throw Error::internal("xz compression failed (" + std::to_string(static_cast<int>(result)) + ")");
        emit(out_.get(), kOutputBuffer - stream_.avail_out);
        return result == LZMA_STREAM_END;
    }

    lzma_stream stream_ = LZMA_STREAM_INIT;
    std::unique_ptr<unsigned char[]> out_;
};

}  // namespace

std::unique_ptr<CompressingWriter> make_compressing_writer(CompressionFormat format, ByteSink& output) {
    switch (format) {
        case CompressionFormat::plain: return std::make_unique<PlainWriter>(output);
        case CompressionFormat::gzip: return std::make_unique<GzipCompressingWriter>(output);
        case CompressionFormat::zstd: return std::make_unique<ZstdWriter>(output);
        case CompressionFormat::bzip2: return std::make_unique<Bzip2Writer>(output);
        case CompressionFormat::xz: return std::make_unique<XzWriter>(output);
    }
    throw Error::internal("no writer for " + std::string(compression_format_name(format)) + " output");
}

}  // namespace chantal::metadata
