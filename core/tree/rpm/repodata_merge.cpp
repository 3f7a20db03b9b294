#include "core/tree/rpm/repodata_merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/base/error.h"
#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/xml_copy.h"
#include "metadata/rpm/xml_reader.h"

namespace chantal {
namespace {

// The text of the first <id> child of an element's XML ("" when none).
std::string element_id(const std::string& xml) {
    const auto start = xml.find("<id>");
    if (start == std::string::npos) return {};
    const auto end = xml.find("</id>", start);
    return end == std::string::npos ? std::string() : xml.substr(start + 4, end - start - 4);
}

}  // namespace

std::string merge_comps(const std::vector<std::string>& documents, const std::vector<std::string>& names) {
    static constexpr const char* kKinds[] = {"group", "category", "environment"};
    std::map<std::string, std::vector<std::string>> by_kind;  // kind -> element XML, in first-seen order
    std::map<std::string, std::set<std::string>> ids;
    std::string langpacks;
    metadata::XmlNodeCopier copier("");
    for (std::size_t index = 0; index < documents.size(); ++index) {
        metadata::MemorySource source(documents[index], index < names.size() ? names[index] : "comps.xml");
        metadata::DecompressingReader input(source, documents[index].size() + (1 << 20));
        metadata::XmlReader reader(input);
        bool more = reader.next();
        while (more && reader.type() != metadata::XmlNodeType::element) more = reader.next();
        if (!more || reader.local_name() != "comps") reader.fail("not a comps document");
        const int root_depth = reader.depth();
        more = reader.next();
        while (more) {
            if (reader.type() == metadata::XmlNodeType::end_element && reader.depth() == root_depth) break;
            if (reader.type() != metadata::XmlNodeType::element) {
                more = reader.next();
                continue;
            }
            const std::string kind(reader.local_name());
            std::string xml;
            const int depth = reader.depth();
            copier.append(reader, xml);
            if (!reader.is_empty_element())
                while (reader.next()) {
                    copier.append(reader, xml);
                    if (reader.type() == metadata::XmlNodeType::end_element && reader.depth() == depth) break;
                }
            if (kind == "langpacks") {
                if (langpacks.empty()) langpacks = xml;
            } else if (std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds)) {
                if (ids[kind].insert(element_id(xml)).second) by_kind[kind].push_back(std::move(xml));
            }
            more = reader.next();
        }
    }
    std::string merged = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<comps>\n";
    for (const char* kind : kKinds)
        for (const auto& xml : by_kind[kind]) merged += "  " + xml + "\n";
    if (!langpacks.empty()) merged += "  " + langpacks + "\n";
    merged += "</comps>\n";
    return merged;
}

std::string merge_modules(const std::vector<std::string>& documents) {
    std::vector<std::string> merged;
    std::set<std::string> seen;
    for (const auto& text : documents) {
        std::istringstream lines(text);
        std::string line;
        std::string document;
        auto finish = [&] {
            if (document.find_first_not_of(" \n\t") != std::string::npos && seen.insert(document).second)
                merged.push_back(document);
            document.clear();
        };
        while (std::getline(lines, line)) {
            if (line == "---" || line == "...") {
                finish();
                continue;
            }
            document += line + "\n";
        }
        finish();
    }
    std::string result;
    for (const auto& document : merged) result += "---\n" + document + "...\n";
    return result;
}

}  // namespace chantal
