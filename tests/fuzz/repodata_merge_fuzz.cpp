// Merging comps and modules of a view's members as generated repodata does
// (core/tree/rpm/generated_repodata_extras.cpp: each member's file
// decompressed, then merge_comps / merge_modules). Input: up to three member
// files separated by a line "--8<--". A merge's output merged again alone
// must come out unchanged.
// fuzz-dictionary: xml.dict

#include "core/tree/rpm/repodata_merge.h"
#include "fuzz_support.h"
#include "metadata/compression/compression.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    std::vector<std::string> texts;
    std::vector<std::string> names;
    const bool decompressed = fuzz::ignoring_invalid_input([&] {
        for (std::string_view part : fuzz::split(fuzz::as_text(data, size), "\n--8<--\n", 3)) {
            names.push_back("repo" + std::to_string(names.size()) + ": repodata/comps.xml");
            metadata::MemorySource source(part, names.back());
            metadata::DecompressingReader input(source, fuzz::decompression_limit());
            texts.push_back(input.read_all());
        }
    });
    if (!decompressed) return 0;

    const std::string modules = merge_modules(texts);
    fuzz::require(merge_modules({modules}) == modules, "merged modules merge to themselves");

    fuzz::ignoring_invalid_input([&] {
        const std::string comps = merge_comps(texts, names);
        std::string again;
        try {
            again = merge_comps({comps}, {"merged comps.xml"});
        } catch (const Error& error) {
            fuzz::report_unreadable(error, comps);
            fuzz::require(false, "merged comps can be read again");
        }
        fuzz::require(again == comps, "merged comps merge to themselves");
    });
    return 0;
}
