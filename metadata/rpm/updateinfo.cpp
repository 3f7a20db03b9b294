#include "metadata/rpm/updateinfo.h"

#include "core/base/error.h"
#include "metadata/rpm/number_parse.h"
#include "metadata/rpm/xml_copy.h"
#include "metadata/rpm/xml_reader.h"

namespace chantal::metadata {

namespace {

std::string attribute_or_empty(XmlReader& reader, std::string_view name) {
    const std::string_view* value = reader.find_attribute(name);
    return value ? std::string(*value) : std::string();
}

AdvisoryPackage package_from_attributes(XmlReader& reader) {
    AdvisoryPackage package;
    package.name = attribute_or_empty(reader, "name");
    std::string epoch = attribute_or_empty(reader, "epoch");
    if (!epoch.empty()) {
        auto value = parse_unsigned(epoch);
        if (!value) reader.fail("epoch \"" + epoch.substr(0, 100) + "\" is not a number");
        package.epoch = *value;
    }
    package.version = attribute_or_empty(reader, "version");
    package.release = attribute_or_empty(reader, "release");
    package.arch = attribute_or_empty(reader, "arch");
    package.src = attribute_or_empty(reader, "src");
    return package;
}

// Parses one <update> (the reader is on its start tag) into advisory.
void parse_update(XmlReader& reader, const XmlNodeCopier& copier, Advisory& advisory) {
    advisory = Advisory();
    advisory.line = reader.line();
    advisory.type = attribute_or_empty(reader, "type");
    advisory.status = attribute_or_empty(reader, "status");
    advisory.from = attribute_or_empty(reader, "from");
    advisory.version = attribute_or_empty(reader, "version");
    copier.append(reader, advisory.xml);
    if (reader.is_empty_element()) reader.fail("empty <update> element");
    const int depth = reader.depth();
    std::string* text_target = nullptr;
    std::string* package_text = nullptr;
    while (reader.next()) {
        copier.append(reader, advisory.xml);
        if (reader.type() == XmlNodeType::end_element) {
            text_target = nullptr;
            if (reader.depth() == depth) break;
            continue;
        }
        if (reader.type() == XmlNodeType::text || reader.type() == XmlNodeType::whitespace) {
            if (text_target) text_target->append(reader.text());
            if (package_text) package_text->append(reader.text());
            continue;
        }
        if (reader.type() != XmlNodeType::element) continue;
        std::string_view name = reader.local_name();
        int relative = reader.depth() - depth;
        text_target = nullptr;
        if (relative == 1) {
            if (name == "id") text_target = &advisory.id;
            else if (name == "title") text_target = &advisory.title;
            else if (name == "severity") text_target = &advisory.severity;
            else if (name == "summary") text_target = &advisory.summary;
            else if (name == "description") text_target = &advisory.description;
            else if (name == "rights") text_target = &advisory.rights;
            else if (name == "solution") text_target = &advisory.solution;
            else if (name == "release") text_target = &advisory.release;
            else if (name == "issued") advisory.issued = attribute_or_empty(reader, "date");
            else if (name == "updated") advisory.updated = attribute_or_empty(reader, "date");
        } else if (name == "reference") {
            advisory.references.push_back({attribute_or_empty(reader, "href"), attribute_or_empty(reader, "id"),
                                           attribute_or_empty(reader, "type"), attribute_or_empty(reader, "title")});
        } else if (name == "collection") {
            advisory.collections.push_back({attribute_or_empty(reader, "short"), {}, {}});
        } else if (name == "name" && !advisory.collections.empty() && relative == 3) {
            text_target = &advisory.collections.back().name;
        } else if (name == "package") {
            if (advisory.collections.empty()) advisory.collections.emplace_back();
            advisory.collections.back().packages.push_back(package_from_attributes(reader));
            package_text = nullptr;
        } else if (!advisory.collections.empty() && !advisory.collections.back().packages.empty()) {
            AdvisoryPackage& package = advisory.collections.back().packages.back();
            if (name == "filename") text_target = &package.filename;
            else if (name == "sum") {
                package.sum_type = attribute_or_empty(reader, "type");
                text_target = &package.sum;
            }
        }
        if (reader.is_empty_element()) text_target = nullptr;
    }
    auto trim = [](std::string& text) {
        std::size_t first = text.find_first_not_of(" \t\r\n");
        std::size_t last = text.find_last_not_of(" \t\r\n");
        text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    trim(advisory.id);
    if (advisory.id.empty())
        throw Error::invalid_input(reader.name() + " line " + std::to_string(advisory.line) + ": <update> has no <id>");
}

}  // namespace

bool AdvisoryReference::is_cve() const {
    if (type == "cve") return true;
    return id.size() > 9 && id.compare(0, 4, "CVE-") == 0;
}

std::uint64_t read_updateinfo(DecompressingReader& input, const std::function<void(Advisory&)>& on_advisory) {
    XmlReader reader(input);
    XmlNodeCopier copier("");
    Advisory advisory;
    std::uint64_t count = 0;
    read_list_document(reader, {"updates", "updateinfo.xml", "update"}, [] {}, [&] {
        parse_update(reader, copier, advisory);
        ++count;
        on_advisory(advisory);
    });
    return count;
}

UpdateinfoWriter::UpdateinfoWriter(ByteSink& output) : output_(output) {
    output_.write(std::string_view("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<updates>\n"));
}

bool UpdateinfoWriter::add(std::string_view update_xml, const AdvisoryPackageFilter& keep) {
    // Re-read the stored element and copy it, leaving out rejected packages
    // and collections that end up empty.
    MemorySource source(update_xml, "stored advisory");
    DecompressingReader input(source, update_xml.size());
    XmlReader reader(input);
    XmlNodeCopier copier("");
    buffer_.clear();
    std::size_t collection_start = std::string::npos;
    std::size_t kept_in_collection = 0;
    std::size_t kept = 0;
    bool more = reader.next();
    while (more) {
        if (reader.type() == XmlNodeType::element && reader.local_name() == "package") {
            AdvisoryPackage package = package_from_attributes(reader);
            // The filename and sums are children; collect them without copying yet.
            std::size_t package_start = buffer_.size();
            copier.append(reader, buffer_);
            if (!reader.is_empty_element()) {
                const int depth = reader.depth();
                std::string* text_target = nullptr;
                while (reader.next()) {
                    copier.append(reader, buffer_);
                    if (reader.type() == XmlNodeType::end_element) {
                        text_target = nullptr;
                        if (reader.depth() == depth) break;
                    } else if (reader.type() == XmlNodeType::element) {
                        text_target = nullptr;
                        if (reader.local_name() == "filename") text_target = &package.filename;
                        if (reader.local_name() == "sum") {
                            package.sum_type = attribute_or_empty(reader, "type");
                            text_target = &package.sum;
                        }
                        if (reader.is_empty_element()) text_target = nullptr;
                    } else if (text_target) {
                        text_target->append(reader.text());
                    }
                }
            }
            if (keep(package)) {
                ++kept;
                ++kept_in_collection;
            } else {
                buffer_.resize(package_start);  // indentation before it stays: cosmetic only
            }
            more = reader.next();
            continue;
        }
        if (reader.type() == XmlNodeType::element && reader.local_name() == "collection") {
            collection_start = buffer_.size();
            kept_in_collection = 0;
        }
        copier.append(reader, buffer_);
        if (reader.type() == XmlNodeType::end_element && reader.local_name() == "collection") {
            if (kept_in_collection == 0 && collection_start != std::string::npos) buffer_.resize(collection_start);
            collection_start = std::string::npos;
        }
        more = reader.next();
    }
    if (kept == 0) return false;
    output_.write(buffer_);
    output_.write(std::string_view("\n"));
    ++written_;
    return true;
}

void UpdateinfoWriter::finish() { output_.write(std::string_view("</updates>\n")); }

}  // namespace chantal::metadata
