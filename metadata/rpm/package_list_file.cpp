#include "metadata/rpm/package_list_file.h"

#include "core/base/error.h"
#include "metadata/rpm/number_parse.h"
#include "metadata/rpm/xml_copy.h"
#include "metadata/rpm/xml_reader.h"

namespace chantal::metadata {

namespace {

bool is_hex_id(std::string_view text) {
    if (text.size() < 40 || text.size() > 128) return false;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

void assign(XmlReader& reader, std::string_view attribute, std::string& target) {
    const std::string_view* value = reader.find_attribute(attribute);
    if (value) target.assign(*value);
    else target.clear();
}

// Reads one <package> (the reader is on its start tag) into entry.
void parse_entry(XmlReader& reader, const XmlNodeCopier& copier, PackageListEntry& entry) {
    entry.xml.clear();
    entry.epoch = 0;
    entry.version.clear();
    entry.release.clear();
    entry.line = reader.line();
    assign(reader, "pkgid", entry.pkgid);
    assign(reader, "name", entry.name);
    assign(reader, "arch", entry.arch);
    for (char& c : entry.pkgid) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    if (entry.pkgid.empty()) reader.fail("<package> has no pkgid");
    if (!is_hex_id(entry.pkgid)) reader.fail("pkgid \"" + entry.pkgid.substr(0, 200) + "\" is not a hex checksum");
    if (entry.name.empty()) reader.fail("<package> has no name");
    if (entry.arch.empty()) reader.fail("<package> has no arch");
    copier.append(reader, entry.xml);
    if (reader.is_empty_element()) return;
    const int package_depth = reader.depth();
    while (reader.next()) {
        copier.append(reader, entry.xml);
        if (reader.type() == XmlNodeType::element && reader.depth() == package_depth + 1 &&
            reader.local_name() == "version") {
            if (const std::string_view* epoch = reader.find_attribute("epoch"); epoch && !epoch->empty()) {
                auto value = parse_unsigned(*epoch);
                if (!value) reader.fail("epoch \"" + std::string(epoch->substr(0, 100)) + "\" is not a number");
                entry.epoch = *value;
            }
            assign(reader, "ver", entry.version);
            assign(reader, "rel", entry.release);
        } else if (reader.type() == XmlNodeType::end_element && reader.depth() == package_depth) {
            return;
        }
    }
    throw Error::invalid_input(reader.name() + " line " + std::to_string(entry.line) + ": <package> is not closed");
}

}  // namespace

PackageFileSummary read_package_list(DecompressingReader& input, const PackageListFormat& format,
                                     const std::function<void(PackageListEntry&)>& on_package) {
    XmlReader reader(input);
    XmlNodeCopier copier(format.namespace_uri);
    PackageListEntry entry;
    PackageFileSummary summary;
    read_list_document(
        reader, {format.root_name, format.file_kind, "package"},
        [&] { summary.packages_declared = declared_package_count(reader); },
        [&] {
            parse_entry(reader, copier, entry);
            ++summary.packages_read;
            const std::size_t xml_size = entry.xml.size();
            on_package(entry);
            // on_package may move the element out: give the next one room
            // up front rather than growing a fresh string byte by byte.
            if (entry.xml.capacity() < xml_size) entry.xml.reserve(xml_size + xml_size / 2);
        });
    return summary;
}

PackageListWriter::PackageListWriter(ByteSink& output, const PackageListFormat& format, std::uint64_t package_count)
    : output_(output), format_(format), expected_(package_count) {
    std::string header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
    header.append(format_.root_name);
    header.append(" xmlns=\"");
    header.append(format_.namespace_uri);
    header.append("\" packages=\"" + std::to_string(package_count) + "\">\n");
    output_.write(header);
}

void PackageListWriter::add(std::string_view package_xml) {
    output_.write(package_xml);
    output_.write(std::string_view("\n"));
    ++written_;
}

void PackageListWriter::finish() {
    if (written_ != expected_)
        throw Error::internal(std::string(format_.file_kind) + ": " + std::to_string(written_) + " packages written, " +
                              std::to_string(expected_) + " announced");
    output_.write(std::string("</") + std::string(format_.root_name) + ">");
}

}  // namespace chantal::metadata
