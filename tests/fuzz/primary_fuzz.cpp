// primary.xml as sync loads it (core/sync/rpm/metadata_loader.cpp): any
// compression, decompressed up to the limit of a declared open-size, every
// package read; then the stored elements written into a generated
// primary.xml as a tree does (PrimaryWriter, location rewritten), which
// must parse back to the same packages.
// fuzz-dictionary: xml.dict

#include "fuzz_support.h"
#include "metadata/rpm/primary.h"

namespace {

struct StoredPackage {
    std::string name;
    std::string checksum;
    std::string location_href;
    std::string xml;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    std::vector<StoredPackage> stored;
    fuzz::ignoring_invalid_input([&] {
        metadata::MemorySource source(fuzz::as_text(data, size), "fuzz: repodata/primary.xml.gz");
        metadata::DecompressingReader input(source, fuzz::decompression_limit());
        metadata::read_primary(input, [&](metadata::PrimaryPackage& package) {
            stored.push_back({package.name, package.checksum, package.location_href, std::move(package.xml)});
        });
    });
    if (stored.empty()) return 0;

    std::string generated;
    metadata::StringSink sink(generated);
    try {
        metadata::PrimaryWriter writer(sink, stored.size());
        for (const auto& package : stored) writer.add(package.xml, package.location_href);
        writer.finish();
        metadata::MemorySource source(generated, "generated primary.xml");
        metadata::DecompressingReader input(source, fuzz::decompression_limit());
        std::size_t index = 0;
        metadata::read_primary(input, [&](metadata::PrimaryPackage& package) {
            fuzz::require(index < stored.size(), "no extra package in generated primary.xml");
            const auto& expected = stored[index++];
            fuzz::require(package.name == expected.name && package.checksum == expected.checksum &&
                              package.location_href == expected.location_href,
                          "a stored package parses back unchanged");
        });
        fuzz::require(index == stored.size(), "every package is in generated primary.xml");
    } catch (const Error& error) {
        std::fprintf(stderr, "%s\n", error.what());
        fuzz::require(false, "stored packages of a parsed primary.xml can be written and read back");
    }
    return 0;
}
