// primary.xml as sync loads it (core/sync/rpm/metadata_loader.cpp): any
// compression, decompressed up to the limit of a declared open-size, every
// package read; then the stored elements written into a generated
// primary.xml as a generated tree does (PrimaryWriter with the location
// rewritten to a tree path), which must parse back to the same packages at
// their new locations.
// fuzz-dictionary: xml.dict

#include "fuzz_support.h"
#include "metadata/rpm/primary.h"

namespace {

struct StoredPackage {
    std::string name;
    std::string checksum;
    std::string xml;
};

std::string tree_path(std::size_t index) { return "Packages/f/fuzz-" + std::to_string(index) + ".rpm"; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    std::vector<StoredPackage> stored;
    const bool parsed = fuzz::ignoring_invalid_input([&] {
        metadata::MemorySource source(fuzz::as_text(data, size), "fuzz: repodata/primary.xml.gz");
        metadata::DecompressingReader input(source, fuzz::decompression_limit());
        metadata::read_primary(input, [&](metadata::PrimaryPackage& package) {
            stored.push_back({package.name, package.checksum, std::move(package.xml)});
        });
    });
    if (!parsed || stored.empty()) return 0;

    std::string generated;
    metadata::StringSink sink(generated);
    try {
        metadata::PrimaryWriter writer(sink, stored.size());
        for (std::size_t i = 0; i < stored.size(); ++i) writer.add(stored[i].xml, tree_path(i));
        writer.finish();
        metadata::MemorySource source(generated, "generated primary.xml");
        metadata::DecompressingReader input(source, fuzz::decompression_limit());
        std::size_t index = 0;
        metadata::read_primary(input, [&](metadata::PrimaryPackage& package) {
            fuzz::require(index < stored.size(), "no extra package in generated primary.xml");
            const auto& expected = stored[index];
            fuzz::require(package.name == expected.name && package.checksum == expected.checksum,
                          "a stored package parses back unchanged");
            fuzz::require(package.location_href == tree_path(index) && package.location_base.empty(),
                          "a stored package parses back at its rewritten location");
            ++index;
        });
        fuzz::require(index == stored.size(), "every package is in generated primary.xml");
    } catch (const Error& error) {
        fuzz::report_unreadable(error, generated);
        fuzz::require(false, "stored packages of a parsed primary.xml can be written and read back");
    }
    return 0;
}
