#include "metadata/rpm/primary.h"

#include "core/base/error.h"
#include "metadata/rpm/checksum_field.h"
#include "metadata/rpm/number_parse.h"
#include "metadata/rpm/xml_copy.h"
#include "metadata/rpm/xml_escape.h"
#include "metadata/rpm/xml_reader.h"

namespace chantal::metadata {

namespace {

[[noreturn]] void fail_at(const std::string& file, int line, const std::string& message) {
    throw Error::invalid_input(file + " line " + std::to_string(line) + ": " + message);
}

template <typename Number, typename Parse>
Number number_attribute(XmlReader& reader, std::string_view attribute, Parse parse, Number fallback) {
    const std::string_view* text = reader.find_attribute(attribute);
    if (text == nullptr || text->empty()) return fallback;
    auto value = parse(*text);
    if (!value)
        reader.fail("<" + std::string(reader.local_name()) + "> attribute " + std::string(attribute) + "=\"" +
                    std::string(text->substr(0, 100)) + "\" is not a number");
    return *value;
}

std::uint64_t unsigned_attribute(XmlReader& reader, std::string_view attribute) {
    return number_attribute<std::uint64_t>(reader, attribute, parse_unsigned, 0);
}

std::int64_t signed_attribute(XmlReader& reader, std::string_view attribute) {
    return number_attribute<std::int64_t>(reader, attribute, parse_signed, 0);
}

void assign_attribute(XmlReader& reader, std::string_view attribute, std::string& target, bool* present = nullptr) {
    const std::string_view* value = reader.find_attribute(attribute);
    if (value) target.assign(*value);
    else target.clear();
    if (present) *present = value != nullptr;
}

// Parses one <package> (the reader is on its start tag) into package.
class PrimaryPackageParser {
public:
    PrimaryPackageParser(XmlReader& reader, PrimaryPackage& package)
        : reader_(reader), package_(package), copier_(kCommonNamespace, true) {}

    void parse() {
        clear();
        package_.line = reader_.line();
        copier_.append(reader_, package_.xml);
        if (reader_.is_empty_element()) fail_at(reader_.name(), package_.line, "empty <package> element");
        const int package_depth = reader_.depth();
        std::string* text_target = nullptr;
        while (reader_.next()) {
            copier_.append(reader_, package_.xml);
            switch (reader_.type()) {
                case XmlNodeType::element:
                    text_target = start_element(reader_.depth() - package_depth);
                    if (text_target) text_target->clear();
                    if (reader_.is_empty_element()) text_target = nullptr;
                    break;
                case XmlNodeType::text:
                case XmlNodeType::whitespace:
                    if (text_target) text_target->append(reader_.text());
                    break;
                case XmlNodeType::end_element:
                    text_target = nullptr;
                    if (reader_.depth() == package_depth) {
                        finish();
                        return;
                    }
                    if (reader_.depth() == package_depth + 1 && reader_.local_name() == "format") in_format_ = false;
                    break;
                case XmlNodeType::other: break;
            }
        }
        fail_at(reader_.name(), package_.line, "<package> element is not closed");
    }

private:
    void clear() {
        PrimaryPackage& p = package_;
        p.name.clear(); p.arch.clear(); p.epoch = 0; p.version.clear(); p.release.clear();
        p.checksum_algorithm = HashAlgorithm::sha256; p.checksum.clear();
        p.package_size = p.installed_size = p.archive_size = 0;
        p.location_href.clear(); p.location_base.clear();
        p.build_time = p.file_time = 0;
        p.sourcerpm.clear(); p.summary.clear(); p.license.clear(); p.vendor.clear(); p.group.clear();
        p.header_start = p.header_end = 0;
        p.xml.clear();
        checksum_type_.clear();
        has_version_ = has_checksum_ = has_location_ = in_format_ = false;
    }

    // Handles a start tag `relative_depth` below <package>; returns where
    // its text goes, if anywhere.
    std::string* start_element(int relative_depth) {
        std::string_view name = reader_.local_name();
        // rewrite_location() replaces the first "<location" of the stored
        // element: that must be the one <location> this parser reads.
        if (name == "location") {
            const bool unprefixed = copied_without_prefix();
            if (relative_depth == 1 && !unprefixed)
                reader_.fail("<location> in namespace \"" + std::string(reader_.namespace_uri().substr(0, 200)) + "\"");
            if (relative_depth != 1 && unprefixed) reader_.fail("<location> is allowed only directly in <package>");
            if (relative_depth == 1 && has_location_) reader_.fail("<package> has more than one <location>");
        }
        if (relative_depth == 1) {
            if (name == "name") return &package_.name;
            if (name == "arch") return &package_.arch;
            if (name == "summary") return &package_.summary;
            if (name == "version") {
                has_version_ = true;
                const std::string_view* epoch = reader_.find_attribute("epoch");
                package_.epoch = 0;
                if (epoch && !epoch->empty()) {
                    auto value = parse_unsigned(*epoch);
                    if (!value) reader_.fail("epoch \"" + std::string(epoch->substr(0, 100)) + "\" is not a number");
                    package_.epoch = *value;
                }
                bool has_ver = false;
                assign_attribute(reader_, "ver", package_.version, &has_ver);
                if (!has_ver || package_.version.empty()) reader_.fail("<version> has no ver attribute");
                assign_attribute(reader_, "rel", package_.release);
                return nullptr;
            }
            if (name == "checksum") {
                has_checksum_ = true;
                checksum_line_ = reader_.line();
                assign_attribute(reader_, "type", checksum_type_);
                return &package_.checksum;
            }
            if (name == "time") {
                package_.file_time = signed_attribute(reader_, "file");
                package_.build_time = signed_attribute(reader_, "build");
                return nullptr;
            }
            if (name == "size") {
                package_.package_size = unsigned_attribute(reader_, "package");
                package_.installed_size = unsigned_attribute(reader_, "installed");
                package_.archive_size = unsigned_attribute(reader_, "archive");
                return nullptr;
            }
            if (name == "location") {
                has_location_ = true;
                assign_attribute(reader_, "href", package_.location_href);
                assign_attribute(reader_, "base", package_.location_base);
                return nullptr;
            }
            if (name == "format") in_format_ = true;
            return nullptr;
        }
        if (relative_depth == 2 && in_format_) {
            if (name == "license") return &package_.license;
            if (name == "vendor") return &package_.vendor;
            if (name == "group") return &package_.group;
            if (name == "sourcerpm") return &package_.sourcerpm;
            if (name == "header-range") {
                package_.header_start = unsigned_attribute(reader_, "start");
                package_.header_end = unsigned_attribute(reader_, "end");
            }
        }
        return nullptr;
    }

    // Whether the copier writes the current element's name without a prefix
    // (see xml_copy.h).
    bool copied_without_prefix() const {
        const std::string_view uri = reader_.namespace_uri();
        if (uri.empty() || uri == kCommonNamespace) return true;
        return uri != kRpmNamespace && uri != "http://www.w3.org/XML/1998/namespace" && reader_.prefix().empty();
    }

    void finish() {
        const std::string& file = reader_.name();
        const int line = package_.line;
        std::string what = package_.name.empty() ? std::string("<package>") : "package '" + package_.name + "'";
        if (package_.name.empty()) fail_at(file, line, "<package> has no <name>");
        if (package_.arch.empty()) fail_at(file, line, what + " has no <arch>");
        if (!has_version_) fail_at(file, line, what + " has no <version>");
        if (!has_checksum_) fail_at(file, line, what + " has no <checksum>");
        if (checksum_type_.empty()) fail_at(file, checksum_line_, what + ": <checksum> has no type");
        package_.checksum_algorithm = checksum_algorithm_at(checksum_type_, file, checksum_line_);
        normalize_checksum_at(package_.checksum, package_.checksum_algorithm, file, checksum_line_);
        if (!has_location_ || package_.location_href.empty()) fail_at(file, line, what + " has no <location href>");
    }

    XmlReader& reader_;
    PrimaryPackage& package_;
    XmlNodeCopier copier_;
    std::string checksum_type_;
    int checksum_line_ = 0;
    bool has_version_ = false;
    bool has_checksum_ = false;
    bool has_location_ = false;
    bool in_format_ = false;
};

}  // namespace

PackageFileSummary read_primary(DecompressingReader& input, const std::function<void(PrimaryPackage&)>& on_package) {
    XmlReader reader(input);
    PrimaryPackage package;
    PackageFileSummary summary;
    read_list_document(
        reader, {"metadata", "primary.xml", "package"}, [&] { summary.packages_declared = declared_package_count(reader); },
        [&] {
            PrimaryPackageParser(reader, package).parse();
            ++summary.packages_read;
            const std::size_t xml_size = package.xml.size();
            on_package(package);
            // on_package may move the element out: give the next one room
            // up front rather than growing a fresh string byte by byte.
            if (package.xml.capacity() < xml_size) package.xml.reserve(xml_size + xml_size / 2);
        });
    return summary;
}

namespace {

struct ElementSpan {
    std::size_t begin;
    std::size_t end;  // one past the end
};

// Where the first <location> element of a stored fragment is.
ElementSpan find_location_element(std::string_view package_xml) {
    std::size_t start = 0;
    for (;;) {
        start = package_xml.find("<location", start);
        if (start == std::string_view::npos)
            throw Error::invalid_input("stored package XML has no <location> element");
        char after = start + 9 < package_xml.size() ? package_xml[start + 9] : '\0';
        if (after == ' ' || after == '/' || after == '>' || after == '\t' || after == '\n') break;
        start += 9;
    }
    // Attribute values are escaped, so the first '>' ends the start tag.
    std::size_t tag_end = package_xml.find('>', start);
    if (tag_end == std::string_view::npos) throw Error::invalid_input("stored package XML: unterminated <location>");
    std::size_t end = tag_end + 1;
    if (package_xml[tag_end - 1] != '/') {
        std::size_t close = package_xml.find("</location>", end);
        if (close == std::string_view::npos) throw Error::invalid_input("stored package XML: <location> is not closed");
        end = close + 11;
    }
    return {start, end};
}

void append_location_tag(std::string& out, std::string_view location_href) {
    out.append("<location href=\"");
    append_escaped_attribute(out, location_href);
    out.append("\"/>");
}

}  // namespace

std::string rewrite_location(std::string_view package_xml, std::string_view location_href) {
    ElementSpan span = find_location_element(package_xml);
    std::string result;
    result.reserve(package_xml.size() + location_href.size());
    result.append(package_xml.substr(0, span.begin));
    append_location_tag(result, location_href);
    result.append(package_xml.substr(span.end));
    return result;
}

PrimaryWriter::PrimaryWriter(ByteSink& output, std::uint64_t package_count) : output_(output), expected_(package_count) {
    std::string header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"";
    header.append(kCommonNamespace);
    header.append("\" xmlns:rpm=\"");
    header.append(kRpmNamespace);
    header.append("\" packages=\"" + std::to_string(package_count) + "\">\n");
    output_.write(header);
}

void PrimaryWriter::add(std::string_view package_xml, std::string_view location_href) {
    ElementSpan span = find_location_element(package_xml);
    output_.write(package_xml.substr(0, span.begin));
    buffer_.clear();
    append_location_tag(buffer_, location_href);
    output_.write(buffer_);
    output_.write(package_xml.substr(span.end));
    output_.write(std::string_view("\n"));
    ++written_;
}

void PrimaryWriter::finish() {
    if (written_ != expected_)
        throw Error::internal("primary.xml: " + std::to_string(written_) + " packages written, " +
                              std::to_string(expected_) + " announced");
    output_.write(std::string_view("</metadata>"));
}

}  // namespace chantal::metadata
