// The decompressing reader every metadata file goes through (format by
// magic bytes: gzip, xz, bzip2, zstd or plain) with the decompression limit
// sync sets. Reading in small chunks must give what read_all() gives, and
// what was decompressed must survive gzip_compress (the writer of generated
// repodata) and a second decompression. Those two checks look at the first
// 256 KiB of output only, so that bombs (stopped at the limit) stay fast.
// fuzz-dictionary: decompress.dict

#include "fuzz_support.h"
#include "metadata/compression/compression.h"

namespace {

constexpr std::size_t kCheckedOutput = 256 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    const std::string_view input = fuzz::as_text(data, size);
    std::string whole;
    bool complete = false;
    fuzz::ignoring_invalid_input([&] {
        metadata::MemorySource source(input, "fuzz: repodata/primary.xml.gz");
        metadata::DecompressingReader reader(source, fuzz::decompression_limit());
        whole = reader.read_all();
        fuzz::require(reader.output_size() == whole.size(), "output_size counts what was returned");
        complete = true;
    });

    std::string chunked;
    bool chunked_complete = false;
    fuzz::ignoring_invalid_input([&] {
        metadata::MemorySource source(input, "fuzz: repodata/primary.xml.gz");
        metadata::DecompressingReader reader(source, fuzz::decompression_limit());
        const std::size_t chunk = size > 0 ? 1 + data[size - 1] % 97 : 1;
        char buffer[97];
        while (chunked.size() < kCheckedOutput) {
            const std::size_t got = reader.read(buffer, chunk);
            fuzz::require(got <= chunk, "read() fills at most the size asked for");
            if (got == 0) {
                chunked_complete = true;
                break;
            }
            chunked.append(buffer, got);
        }
    });
    if (chunked_complete) fuzz::require(complete, "chunked and whole reads agree on errors");
    if (complete && whole.size() < kCheckedOutput) fuzz::require(chunked_complete, "chunked and whole reads agree on errors");
    if (!complete) return 0;
    fuzz::require(whole.compare(0, chunked.size(), chunked) == 0, "chunked and whole reads give the same bytes");
    if (whole.size() > kCheckedOutput) return 0;

    const std::string recompressed = metadata::gzip_compress(whole);
    metadata::MemorySource source(recompressed, "recompressed");
    metadata::DecompressingReader reader(source, whole.size());
    fuzz::require(reader.read_all() == whole, "gzip_compress output decompresses to its input");
    return 0;
}
