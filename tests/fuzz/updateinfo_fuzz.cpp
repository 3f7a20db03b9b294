// updateinfo.xml as sync loads it (core/sync/rpm/errata_load.cpp: any
// compression, the decompression limit, read_updateinfo), then each stored
// <update> written into a tree's updateinfo.xml (UpdateinfoWriter) once with
// every package kept and once with every other package dropped; the
// generated file must parse back with as many advisories as were written.
// fuzz-dictionary: xml.dict

#include "fuzz_support.h"
#include "metadata/rpm/updateinfo.h"

namespace {

void write_and_reread(const std::vector<std::string>& stored, const chantal::metadata::AdvisoryPackageFilter& keep) {
    using namespace chantal;
    std::string generated;
    metadata::StringSink sink(generated);
    try {
        metadata::UpdateinfoWriter writer(sink);
        for (const auto& xml : stored) writer.add(xml, keep);
        writer.finish();
        metadata::MemorySource source(generated, "generated updateinfo.xml");
        metadata::DecompressingReader input(source, fuzz::decompression_limit());
        const std::uint64_t read = metadata::read_updateinfo(input, [](metadata::Advisory&) {});
        fuzz::require(read == writer.written(), "every written advisory parses back");
    } catch (const Error& error) {
        fuzz::report_unreadable(error, generated);
        fuzz::require(false, "stored advisories of a parsed updateinfo.xml can be written and read back");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    std::vector<std::string> stored;
    const bool parsed = fuzz::ignoring_invalid_input([&] {
        metadata::MemorySource source(fuzz::as_text(data, size), "fuzz: repodata/updateinfo.xml.gz");
        metadata::DecompressingReader input(source, fuzz::decompression_limit());
        metadata::read_updateinfo(input, [&](metadata::Advisory& advisory) {
            for (const auto& reference : advisory.references) (void)reference.is_cve();
            stored.push_back(std::move(advisory.xml));
        });
    });
    if (!parsed || stored.empty()) return 0;
    write_and_reread(stored, [](const metadata::AdvisoryPackage&) { return true; });
    bool keep_next = true;
    write_and_reread(stored, [&](const metadata::AdvisoryPackage&) { return keep_next = !keep_next; });
    return 0;
}
