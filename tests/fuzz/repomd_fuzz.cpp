// repomd.xml as sync reads it (core/sync/rpm/upstream_metadata.cpp:
// parse_repomd on the fetched bytes), then written back with write_repomd
// as generated repodata is: what was parsed must parse again, unchanged.
// fuzz-dictionary: xml.dict

#include "fuzz_support.h"
#include "metadata/rpm/repomd.h"

namespace {

bool same_checksum(const chantal::metadata::RepomdChecksum& left, const chantal::metadata::RepomdChecksum& right) {
    return left.algorithm == right.algorithm && left.value == right.value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    fuzz::ignoring_invalid_input([&] {
        const metadata::Repomd parsed = metadata::parse_repomd(fuzz::as_text(data, size), "fuzz: repodata/repomd.xml");
        const std::string written = metadata::write_repomd(parsed);
        metadata::Repomd reparsed;
        try {
            reparsed = metadata::parse_repomd(written, "written repomd.xml");
        } catch (const Error& error) {
            fuzz::report_unreadable(error, written);
            fuzz::require(false, "write_repomd output parses");
        }
        fuzz::require(reparsed.revision == parsed.revision, "revision survives a round trip");
        fuzz::require(reparsed.records.size() == parsed.records.size(), "every record survives a round trip");
        for (std::size_t i = 0; i < parsed.records.size(); ++i) {
            const auto& before = parsed.records[i];
            const auto& after = reparsed.records[i];
            fuzz::require(before.type == after.type && before.location_href == after.location_href &&
                              same_checksum(before.checksum, after.checksum) && before.size == after.size &&
                              before.open_size == after.open_size && before.timestamp == after.timestamp,
                          "a record's fields survive a round trip");
        }
    });
    return 0;
}
