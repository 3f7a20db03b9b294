#include "metadata/rpm/repomd.h"

#include "core/base/error.h"
#include "metadata/rpm/checksum_field.h"
#include "metadata/rpm/number_parse.h"
#include "metadata/rpm/xml_copy.h"
#include "metadata/rpm/xml_escape.h"
#include "metadata/rpm/xml_reader.h"

namespace chantal::metadata {

namespace {

// Consumes the element the reader is on, leaving the reader on its end tag
// (or on the element itself when it is empty).
void skip_subtree(XmlReader& reader) {
    if (reader.is_empty_element()) return;
    const int depth = reader.depth();
    while (reader.next()) {
        if (reader.type() == XmlNodeType::end_element && reader.depth() == depth) return;
    }
}

// Collects the text of the element the reader is on, leaving the reader on
// its end tag. Child elements are not expected in repomd leaves.
std::string element_text(XmlReader& reader) {
    std::string text;
    if (reader.is_empty_element()) return text;
    const int depth = reader.depth();
    while (reader.next()) {
        if (reader.type() == XmlNodeType::text || reader.type() == XmlNodeType::whitespace) text.append(reader.text());
        if (reader.type() == XmlNodeType::end_element && reader.depth() == depth) break;
        if (reader.type() == XmlNodeType::element) skip_subtree(reader);
    }
    std::size_t first = text.find_first_not_of(" \t\r\n");
    std::size_t last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

template <typename Number>
std::optional<Number> number_text(XmlReader& reader, std::optional<Number> (*parse)(std::string_view)) {
    std::string element(reader.local_name());
    int line = reader.line();
    std::string text = element_text(reader);
    auto value = parse(text);
    if (!value)
        throw Error::invalid_input(reader.name() + " line " + std::to_string(line) + ": <" + element + "> \"" +
                                   text.substr(0, 100) + "\" is not a number");
    return value;
}

RepomdChecksum checksum_element(XmlReader& reader) {
    int line = reader.line();
    const std::string_view* type = reader.find_attribute("type");
    if (type == nullptr || type->empty()) reader.fail("<" + std::string(reader.local_name()) + "> has no type");
    RepomdChecksum checksum;
    checksum.algorithm = checksum_algorithm_at(*type, reader.name(), line);
    checksum.value = element_text(reader);
    normalize_checksum_at(checksum.value, checksum.algorithm, reader.name(), line);
    return checksum;
}

RepomdRecord read_data(XmlReader& reader) {
    RepomdRecord record;
    const int line = reader.line();
    const std::string_view* type = reader.find_attribute("type");
    if (type == nullptr || type->empty()) reader.fail("<data> has no type");
    record.type.assign(*type);
    bool has_checksum = false;
    if (!reader.is_empty_element()) {
        const int depth = reader.depth();
        while (reader.next()) {
            if (reader.type() == XmlNodeType::end_element && reader.depth() == depth) break;
            if (reader.type() != XmlNodeType::element) continue;
            std::string_view name = reader.local_name();
            if (name == "checksum") {
                record.checksum = checksum_element(reader);
                has_checksum = true;
            } else if (name == "open-checksum") {
                record.open_checksum = checksum_element(reader);
            } else if (name == "header-checksum") {
                record.header_checksum = checksum_element(reader);
            } else if (name == "location") {
                if (const std::string_view* href = reader.find_attribute("href")) record.location_href.assign(*href);
                skip_subtree(reader);
            } else if (name == "size") {
                record.size = number_text<std::uint64_t>(reader, parse_unsigned);
            } else if (name == "open-size") {
                record.open_size = number_text<std::uint64_t>(reader, parse_unsigned);
            } else if (name == "header-size") {
                record.header_size = number_text<std::uint64_t>(reader, parse_unsigned);
            } else if (name == "timestamp") {
                record.timestamp = number_text<std::int64_t>(reader, parse_signed);
            } else if (name == "database_version") {
                record.database_version = number_text<std::uint64_t>(reader, parse_unsigned);
            } else {
                skip_subtree(reader);
            }
        }
    }
    auto where = reader.name() + " line " + std::to_string(line) + ": <data type=\"" + record.type + "\"> ";
    if (record.location_href.empty()) throw Error::invalid_input(where + "has no <location href>");
    if (!has_checksum) throw Error::invalid_input(where + "has no <checksum>");
    return record;
}

void read_tags(XmlReader& reader, Repomd& repomd) {
    if (reader.is_empty_element()) return;
    const int depth = reader.depth();
    while (reader.next()) {
        if (reader.type() == XmlNodeType::end_element && reader.depth() == depth) return;
        if (reader.type() != XmlNodeType::element) continue;
        std::string_view name = reader.local_name();
        if (name == "content") {
            repomd.content_tags.push_back(element_text(reader));
        } else if (name == "repo") {
            repomd.repo_tags.push_back(element_text(reader));
        } else if (name == "distro") {
            RepomdDistroTag tag;
            if (const std::string_view* cpeid = reader.find_attribute("cpeid")) tag.cpeid.assign(*cpeid);
            tag.name = element_text(reader);
            repomd.distro_tags.push_back(std::move(tag));
        } else {
            skip_subtree(reader);
        }
    }
}

void append_checksum(std::string& out, const char* element, const RepomdChecksum& checksum) {
    out.append("    <").append(element).append(" type=\"");
    out.append(hash_algorithm_name(checksum.algorithm));
    out.append("\">").append(checksum.value).append("</").append(element).append(">\n");
}

template <typename Number>
void append_number(std::string& out, const char* element, const std::optional<Number>& value) {
    if (!value) return;
    out.append("    <").append(element).append(">").append(std::to_string(*value));
    out.append("</").append(element).append(">\n");
}

void append_text_element(std::string& out, const char* indent, const char* element, std::string_view text) {
    out.append(indent).append("<").append(element).append(">");
    append_escaped_text(out, text);
    out.append("</").append(element).append(">\n");
}

}  // namespace

const RepomdRecord* Repomd::find(std::string_view type) const {
    for (const RepomdRecord& record : records) {
        if (record.type == type) return &record;
    }
    return nullptr;
}

Repomd read_repomd(DecompressingReader& input) {
    XmlReader reader(input);
    Repomd repomd;
    bool seen_root = false;
    while (reader.next()) {
        if (reader.type() != XmlNodeType::element) continue;
        if (reader.depth() == 0) {
            if (reader.local_name() != "repomd")
                reader.fail("expected <repomd> as the root of repomd.xml, found <" + std::string(reader.local_name()) +
                            ">");
            seen_root = true;
            continue;
        }
        std::string_view name = reader.local_name();
        if (reader.depth() != 1) continue;
        if (name == "revision") repomd.revision = element_text(reader);
        else if (name == "tags") read_tags(reader, repomd);
        else if (name == "data") repomd.records.push_back(read_data(reader));
        else skip_subtree(reader);
    }
    if (!seen_root) throw Error::invalid_input(input.name() + ": empty document, no <repomd> element");
    return repomd;
}

Repomd parse_repomd(std::string_view xml, const std::string& name) {
    MemorySource source(xml, name);
    DecompressingReader input(source, 64u << 20);
    return read_repomd(input);
}

std::string write_repomd(const Repomd& repomd) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"";
    out.append(kRepoNamespace).append("\" xmlns:rpm=\"").append(kRpmNamespace).append("\">\n");
    append_text_element(out, "  ", "revision", repomd.revision);
    if (!repomd.content_tags.empty() || !repomd.repo_tags.empty() || !repomd.distro_tags.empty()) {
        out.append("  <tags>\n");
        for (const std::string& tag : repomd.content_tags) append_text_element(out, "    ", "content", tag);
        for (const std::string& tag : repomd.repo_tags) append_text_element(out, "    ", "repo", tag);
        for (const RepomdDistroTag& tag : repomd.distro_tags) {
            out.append("    <distro");
            if (!tag.cpeid.empty()) {
                out.append(" cpeid=\"");
                append_escaped_attribute(out, tag.cpeid);
                out.append("\"");
            }
            out.append(">");
            append_escaped_text(out, tag.name);
            out.append("</distro>\n");
        }
        out.append("  </tags>\n");
    }
    for (const RepomdRecord& record : repomd.records) {
        out.append("  <data type=\"");
        append_escaped_attribute(out, record.type);
        out.append("\">\n");
        append_checksum(out, "checksum", record.checksum);
        if (record.open_checksum) append_checksum(out, "open-checksum", *record.open_checksum);
        if (record.header_checksum) append_checksum(out, "header-checksum", *record.header_checksum);
        out.append("    <location href=\"");
        append_escaped_attribute(out, record.location_href);
        out.append("\"/>\n");
        append_number(out, "timestamp", record.timestamp);
        append_number(out, "size", record.size);
        append_number(out, "open-size", record.open_size);
        append_number(out, "header-size", record.header_size);
        append_number(out, "database_version", record.database_version);
        out.append("  </data>\n");
    }
    out.append("</repomd>\n");
    return out;
}

std::string checksum_prefixed_href(std::string_view sha256, std::string_view type, std::string_view suffix) {
    std::string href = "repodata/";
    href.append(sha256).append("-").append(type).append(suffix);
    return href;
}

}  // namespace chantal::metadata
