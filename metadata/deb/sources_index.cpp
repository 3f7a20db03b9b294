#include "metadata/deb/sources_index.h"

#include <charconv>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/relative_path.h"

namespace chantal::metadata {
namespace {

bool is_lower_hex(std::string_view text) {
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::vector<std::string_view> split_blanks(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t position = 0;
    while (position < line.size()) {
        const std::size_t start = line.find_first_not_of(" \t", position);
        if (start == std::string_view::npos) break;
        std::size_t end = line.find_first_of(" \t", start);
        if (end == std::string_view::npos) end = line.size();
        words.push_back(line.substr(start, end - start));
        position = end;
    }
    return words;
}

}  // namespace

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
    std::unordered_set<std::string_view> seen;
    const std::string_view sums = required("Checksums-Sha256");
    std::size_t position = 0;
    while (position < sums.size()) {
        std::size_t end = sums.find('\n', position);
        if (end == std::string_view::npos) end = sums.size();
        const std::string_view line = sums.substr(position, end - position);
        position = end + 1;
        const auto words = split_blanks(line);
        if (words.empty()) continue;
        SourceFile file;
        if (words.size() != 3 || words[0].size() != 64 || !is_lower_hex(words[0]))
            fail("Checksums-Sha256 line is not '<sha256> <size> <name>': '" + std::string(line) + "'");
        const auto [number_end, error] = std::from_chars(words[1].data(), words[1].data() + words[1].size(), file.size);
        if (error != std::errc() || number_end != words[1].data() + words[1].size())
            fail("bad size in Checksums-Sha256: '" + std::string(line) + "'");
        if (words[2].find('/') != std::string_view::npos || !is_clean_relative_path(words[2]))
            fail("file name '" + std::string(words[2]) + "' is not a plain file name");
        if (!seen.insert(words[2]).second) fail("file '" + std::string(words[2]) + "' listed twice");
        file.sha256 = words[0];
        file.name = words[2];
        source.files.push_back(std::move(file));
    }
    if (source.files.empty()) fail("Checksums-Sha256 lists no file");
    source.stanza = stanza.text;
    source.line = stanza.line;
    on_source_(source);
}

}  // namespace chantal::metadata
