#include "metadata/deb/sources_index.h"

#include <unordered_set>

#include "core/base/error.h"
#include "core/base/relative_path.h"
#include "metadata/deb/checksum_lines.h"

namespace chantal::metadata {

SourcesIndexReader::SourcesIndexReader(std::string source_name, Handler on_source)
    : source_name_(std::move(source_name)),
      on_source_(std::move(on_source)),
      reader_(source_name_),
      stanza_handler_([this](const Deb822Stanza& stanza) { read_stanza(stanza); }) {}

void SourcesIndexReader::feed(std::string_view bytes) { reader_.feed(bytes, stanza_handler_); }

void SourcesIndexReader::finish() { reader_.finish(stanza_handler_); }

void SourcesIndexReader::read_stanza(const Deb822Stanza& stanza) {
    const auto name = stanza.find("Package");
    auto fail = [&](const std::string& what) {
        throw Error::corrupt(source_name_ + ": line " + std::to_string(stanza.line) + ": source package '" +
                             std::string(name.value_or("?")) + "': " + what);
    };
    auto required = [&](std::string_view field) {
        const auto value = stanza.find(field);
        if (!value || value->empty()) fail("no " + std::string(field) + " field");
        return *value;
    };
    DebianSource& source = source_;
    source.name = required("Package");
    source.version_text = required("Version");
    std::string problem;
    auto version = parse_debian_version(source.version_text, &problem);
    if (!version) fail("bad Version '" + source.version_text + "': " + problem);
    source.version = std::move(*version);
    source.directory = required("Directory");
    if (!is_clean_relative_path(source.directory))
        fail("Directory '" + source.directory + "' is not a clean path inside the archive");

    source.files.clear();
    std::unordered_set<std::string> seen;
    std::vector<ChecksumLine> lines;
    try {
        lines = read_checksum_lines(required("Checksums-Sha256"), "Checksums-Sha256");
    } catch (const Error& error) {
        fail(error.what());
    }
    for (auto& line : lines) {
        if (line.name.find('/') != std::string::npos || !is_clean_relative_path(line.name))
            fail("file name '" + line.name + "' is not a plain file name");
        if (!seen.insert(line.name).second) fail("file '" + line.name + "' listed twice");
        source.files.push_back({std::move(line.name), line.size, std::move(line.sha256)});
    }
    if (source.files.empty()) fail("Checksums-Sha256 lists no file");
    source.stanza = stanza.text;
    source.line = stanza.line;
    on_source_(source);
}

}  // namespace chantal::metadata
