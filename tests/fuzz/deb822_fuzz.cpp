// deb822 data as sync reads it (Packages, Sources, Release): Deb822Reader
// fed in chunks, deb822_field_first_line on each stanza, PackagesIndexReader, SourcesIndexReader, debian_pool_path, rewrite_filename, parse_release, and
// the Debian version helpers on the Version fields found. The first input
// byte picks the chunk size.
//
// Properties: reading in chunks gives the same stanzas as reading at once
// (or both fail); every stanza's text ends in '\n' and holds its fields'
// names; a parsed Release lists only clean relative paths with 64-hex sums;
// a Release written from a parsed one reads back the same;
// a version parse_debian_version accepts formats back to an equal version;
// a package the index reader accepts has a clean Filename, and its stanza
// with Filename rewritten reads back as the same package at the new path.
#include "core/base/relative_path.h"
#include "fuzz_support.h"
#include "metadata/deb/deb822.h"
#include "metadata/deb/debian_version.h"
#include "metadata/deb/packages_index.h"
#include "metadata/deb/pool_path.h"
#include "metadata/deb/release_file.h"
#include "metadata/deb/sources_index.h"

namespace {

struct Outcome {
    bool completed = false;
    std::vector<std::string> texts;
    std::vector<std::string> versions;
};

Outcome read(std::string_view text, std::size_t chunk) {
    using namespace chantal;
    Outcome outcome;
    metadata::Deb822Handler keep = [&](const metadata::Deb822Stanza& stanza) {
        fuzz::require(!stanza.text.empty() && stanza.text.back() == '\n', "a stanza's text ends in a line end");
        for (const auto& field : stanza.fields)
            fuzz::require(stanza.text.find(field.name) != std::string_view::npos, "a stanza holds its field names");
        for (const char* name : {"Version", "Description", "Installed-Size", "Section"}) {
            const std::string_view line = metadata::deb822_field_first_line(stanza.text, name);
            fuzz::require(line.data() != nullptr, "a field's first line is never a null view");
            fuzz::require(line.find('\n') == std::string_view::npos, "a field's first line holds no line end");
        }
        outcome.texts.emplace_back(stanza.text);
        if (auto version = stanza.find("Version")) outcome.versions.emplace_back(*version);
    };
    outcome.completed = fuzz::ignoring_invalid_input([&] {
        metadata::Deb822Reader reader("Packages", 1 << 16);
        for (std::size_t position = 0; position < text.size(); position += chunk)
            reader.feed(text.substr(position, chunk), keep);
        reader.finish(keep);
    });
    return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    if (size == 0) return 0;
    const std::size_t chunk = 1 + data[0] % 16;
    const std::string_view text = fuzz::as_text(data + 1, size - 1);

    const Outcome whole = read(text, text.size() + 1);
    const Outcome chunked = read(text, chunk);
    fuzz::require(whole.completed == chunked.completed, "chunked and whole reads agree on failing");
    if (whole.completed) fuzz::require(whole.texts == chunked.texts, "chunked and whole reads give the same stanzas");

    for (const auto& version : whole.versions) {
        (void)metadata::compare_debian_versions(version, "1.0");
        if (auto parsed = metadata::parse_debian_version(version))
            fuzz::require(metadata::compare_debian_versions(metadata::format_debian_version(*parsed), version) == 0,
                          "a parsed version formats back to an equal one");
    }

    fuzz::ignoring_invalid_input([&] {
        metadata::PackagesIndexReader reader("Packages", [](metadata::DebianPackage& package) {
            fuzz::require(is_clean_relative_path(package.filename), "an accepted Filename is clean");
            const std::string rewritten = metadata::rewrite_filename(package.stanza, "pool/main/x/x.deb");
            int read_back = 0;
            metadata::PackagesIndexReader again("rewritten", [&](metadata::DebianPackage& copy) {
                ++read_back;
                fuzz::require(copy.filename == "pool/main/x/x.deb" && copy.name == package.name &&
                                  copy.version_text == package.version_text && copy.sha256 == package.sha256,
                              "a rewritten stanza reads back as the same package at the new path");
            });
            again.feed(rewritten);
            again.finish();
            fuzz::require(read_back == 1, "a rewritten stanza is one stanza");
        });
        reader.feed(text);
        reader.finish();
    });

    fuzz::ignoring_invalid_input([&] {
        metadata::SourcesIndexReader reader("Sources", [](metadata::DebianSource& source) {
            fuzz::require(is_clean_relative_path(source.directory) && !source.files.empty(),
                          "an accepted source has a clean Directory and files");
            for (const auto& file : source.files) {
                fuzz::require(file.name.find('/') == std::string::npos, "a source file name is one segment");
                fuzz::ignoring_invalid_input([&] {
                    const std::string path = metadata::debian_pool_path("main", source.name, file.name);
                    fuzz::require(is_clean_relative_path(path), "a pool path is clean");
                });
            }
        });
        reader.feed(text);
        reader.finish();
    });

    fuzz::ignoring_invalid_input([&] {
        const metadata::ReleaseFile release = metadata::parse_release(text, "InRelease");
        for (const auto& entry : release.files)
            fuzz::require(is_clean_relative_path(entry.path) && entry.sha256.size() == 64,
                          "a Release lists clean relative paths with SHA256 sums");
        std::string written;
        if (!fuzz::ignoring_invalid_input([&] { written = metadata::write_release(release); })) return;
        const metadata::ReleaseFile back = metadata::parse_release(written, "written");
        fuzz::require(back.files.size() == release.files.size() && back.date == release.date &&
                          back.valid_until == release.valid_until && back.suite == release.suite,
                      "a written Release reads back with the same suite, dates and indexes");
        for (const auto& entry : release.files) {
            const auto* copy = back.find(entry.path);
            fuzz::require(copy && copy->sha256 == entry.sha256 && copy->size == entry.size,
                          "a written Release keeps every index entry");
        }
    });
    return 0;
}
