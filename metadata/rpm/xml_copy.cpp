#include "metadata/rpm/xml_copy.h"

#include "metadata/rpm/xml_escape.h"

namespace chantal::metadata {

namespace {
constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
}

// Writes the qualified name to use for (prefix, local_name, namespace_uri);
// when the namespace needs declaring, appends ` xmlns...="uri"` to
// *declaration (if given).
void XmlNodeCopier::append_name(std::string& out, std::string_view prefix, std::string_view local_name,
                                std::string_view namespace_uri, std::string* declaration) const {
    if (namespace_uri.empty() || namespace_uri == file_namespace_) {
        // Attributes without namespace and elements of the file's namespace.
    } else if (namespace_uri == kRpmNamespace && rpm_prefix_on_root_) {
        out.append("rpm:");
    } else if (namespace_uri == kXmlNamespace) {
        out.append("xml:");
    } else {
        if (namespace_uri == kRpmNamespace) prefix = "rpm";
        if (!prefix.empty()) {
            out.append(prefix);
            out.push_back(':');
        }
        if (declaration != nullptr) {
            std::string attribute = prefix.empty() ? " xmlns=\"" : " xmlns:" + std::string(prefix) + "=\"";
            if (declaration->find(attribute) == std::string::npos) {  // an element and its attribute may share it
                declaration->append(attribute);
                append_escaped_attribute(*declaration, namespace_uri);
                declaration->push_back('"');
            }
        }
    }
    out.append(local_name);
}

void XmlNodeCopier::append(XmlReader& reader, std::string& out) const {
    switch (reader.type()) {
        case XmlNodeType::element: {
            std::string declarations;
            out.push_back('<');
            append_name(out, reader.prefix(), reader.local_name(), reader.namespace_uri(), &declarations);
            for (const XmlAttribute& attribute : reader.attributes()) {
                out.push_back(' ');
                append_name(out, attribute.prefix, attribute.local_name, attribute.namespace_uri, &declarations);
                out.append("=\"");
                append_escaped_attribute(out, attribute.value);
                out.push_back('"');
            }
            out.append(declarations);
            out.append(reader.is_empty_element() ? "/>" : ">");
            break;
        }
        case XmlNodeType::end_element:
            out.append("</");
            append_name(out, reader.prefix(), reader.local_name(), reader.namespace_uri(), nullptr);
            out.push_back('>');
            break;
        case XmlNodeType::text: append_escaped_text(out, reader.text()); break;
        case XmlNodeType::whitespace: out.append(reader.text()); break;
        case XmlNodeType::other: break;
    }
}

}  // namespace chantal::metadata
