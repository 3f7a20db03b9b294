// The body of the filelists and other targets: the file as sync loads it
// (core/sync/rpm/metadata_loader.cpp: any compression, the decompression
// limit, read_package_list), then the stored elements written into a
// generated file as a tree does (PackageListWriter), which must parse back
// to the same packages.
#pragma once

#include "fuzz_support.h"
#include "metadata/rpm/package_list_file.h"

namespace chantal::fuzz {

inline void fuzz_package_list(const std::uint8_t* data, std::size_t size, const metadata::PackageListFormat& format) {
    std::vector<metadata::PackageListEntry> stored;
    const bool parsed = ignoring_invalid_input([&] {
        metadata::MemorySource source(as_text(data, size), "fuzz: repodata/" + std::string(format.file_kind) + ".gz");
        metadata::DecompressingReader input(source, decompression_limit());
        metadata::read_package_list(input, format, [&](metadata::PackageListEntry& entry) { stored.push_back(entry); });
    });
    if (!parsed || stored.empty()) return;

    std::string generated;
    metadata::StringSink sink(generated);
    try {
        metadata::PackageListWriter writer(sink, format, stored.size());
        for (const auto& entry : stored) writer.add(entry.xml);
        writer.finish();
        metadata::MemorySource source(generated, "generated " + std::string(format.file_kind));
        metadata::DecompressingReader input(source, decompression_limit());
        std::size_t index = 0;
        metadata::read_package_list(input, format, [&](metadata::PackageListEntry& entry) {
            require(index < stored.size(), "no extra package in the generated file");
            const auto& expected = stored[index++];
            require(entry.pkgid == expected.pkgid && entry.name == expected.name && entry.arch == expected.arch &&
                        entry.epoch == expected.epoch && entry.version == expected.version &&
                        entry.release == expected.release,
                    "a stored package parses back unchanged");
        });
        require(index == stored.size(), "every package is in the generated file");
    } catch (const Error& error) {
        report_unreadable(error, generated);
        require(false, "stored packages of a parsed file can be written and read back");
    }
}

}  // namespace chantal::fuzz
