#include "metadata/deb/packages_index.h"

#include <charconv>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/base/relative_path.h"

namespace chantal::metadata {
namespace {

bool is_filename_field(std::string_view line) {
    constexpr std::string_view kName = "filename";
    const std::size_t colon = line.find(':');
    if (colon != kName.size()) return false;
    for (std::size_t i = 0; i < kName.size(); ++i)
        if ((line[i] | 0x20) != kName[i]) return false;
    return true;
}

}  // namespace

PackagesIndexReader::PackagesIndexReader(std::string source_name, Handler on_package)
    : source_name_(std::move(source_name)),
      on_package_(std::move(on_package)),
      reader_(source_name_),
      stanza_handler_([this](const Deb822Stanza& stanza) { read_stanza(stanza); }) {}

void PackagesIndexReader::feed(std::string_view bytes) { reader_.feed(bytes, stanza_handler_); }

void PackagesIndexReader::finish() { reader_.finish(stanza_handler_); }

void PackagesIndexReader::read_stanza(const Deb822Stanza& stanza) {
    const auto name = stanza.find("Package");
    auto fail = [&](const std::string& what) {
        throw Error::corrupt(source_name_ + ": line " + std::to_string(stanza.line) + ": package '" +
                             std::string(name.value_or("?")) + "': " + what);
    };
    auto required = [&](std::string_view field) {
        const auto value = stanza.find(field);
        if (!value || value->empty()) fail("no " + std::string(field) + " field");
        return *value;
    };
    DebianPackage& package = package_;
    package.name = required("Package");
    package.version_text = required("Version");
    std::string problem;
    auto version = parse_debian_version(package.version_text, &problem);
    if (!version) fail("bad Version '" + package.version_text + "': " + problem);
    package.version = std::move(*version);
    package.architecture = required("Architecture");
    package.filename = required("Filename");
    if (!is_clean_relative_path(package.filename))
        fail("Filename '" + package.filename + "' is not a clean path inside the archive");
    const std::string_view size = required("Size");
    const auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), package.size);
    if (error != std::errc() || end != size.data() + size.size()) fail("bad Size '" + std::string(size) + "'");
    package.sha256 = required("SHA256");
    if (!is_hex_digest(package.sha256, HashAlgorithm::sha256))
        fail("bad SHA256 '" + package.sha256 + "'");
    const auto source = stanza.find("Source");
    package.source = source ? std::string(source_package_name(*source)) : package.name;
    package.section = stanza.find("Section").value_or("");
    package.priority = stanza.find("Priority").value_or("");
    package.stanza = stanza.text;
    package.line = stanza.line;
    on_package_(package);
}

std::string_view source_package_name(std::string_view source_field) {
    return source_field.substr(0, source_field.find_first_of(" \t("));
}

std::string rewrite_filename(std::string_view stanza, std::string_view filename) {
    std::string result;
    result.reserve(stanza.size() + filename.size());
    bool replaced = false;
    bool skipping_continuation = false;
    std::size_t position = 0;
    while (position < stanza.size()) {
        std::size_t end = stanza.find('\n', position);
        end = end == std::string_view::npos ? stanza.size() : end + 1;
        const std::string_view line = stanza.substr(position, end - position);
        position = end;
        const bool continuation = line.front() == ' ' || line.front() == '\t';
        if (continuation && skipping_continuation) continue;
        skipping_continuation = false;
        if (!continuation && is_filename_field(line)) {
            result.append("Filename: ").append(filename).push_back('\n');
            replaced = true;
            skipping_continuation = true;
            continue;
        }
        result.append(line);
        if (result.back() != '\n') result.push_back('\n');
    }
    if (!replaced) result.append("Filename: ").append(filename).push_back('\n');
    return result;
}

}  // namespace chantal::metadata
