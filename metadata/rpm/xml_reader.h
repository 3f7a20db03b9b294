// XmlReader: a safe, streaming pull parser over libxml2's SAX2 push parser,
// fed from a DecompressingReader in 64 KiB chunks (never loads the whole
// document, builds no tree).
//
// Safety, whatever the document says:
//  - no network (XML_PARSE_NONET), no DTD loading or default attributes,
//    no entity substitution;
//  - any DOCTYPE is refused as soon as it is seen (repository metadata never
//    has one), so entity declarations can never be expanded;
//  - libxml2's external entity loader is replaced, process-wide, by one that
//    refuses everything: no file (file:///etc/passwd) or URL is ever opened
//    on behalf of a document.
//
// Errors are chantal::Error::invalid_input with "<name> line <n>: <what>";
// errors of the underlying input (I/O, corrupt compression, bomb limit)
// propagate unchanged.
//
// Memory is bounded by the nodes of one input chunk (and a text node of at
// most 10 MB), never by the document. Adjacent character data (text, CDATA,
// entity and character references) is one text node. Not thread-safe; distinct readers may be
// used by distinct threads at the same time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/compression/compression.h"

namespace chantal::metadata {

enum class XmlNodeType {
    element,      // a start tag (is_empty_element() for <a/>)
    end_element,  // an end tag (never reported for <a/>)
    text,         // character data (entities and CDATA already resolved)
    whitespace,   // whitespace-only character data
    other,        // comments, processing instructions, the XML declaration
};

// One attribute of the current element. The views stay valid until the
// next call of next().
struct XmlAttribute {
    std::string_view local_name;
    std::string_view prefix;
    std::string_view namespace_uri;
    std::string_view value;
};

class XmlReader {
public:
    // Borrows `input` (must outlive the reader); input.name() names the
    // document in errors.
    explicit XmlReader(DecompressingReader& input);
    ~XmlReader();
    XmlReader(const XmlReader&) = delete;
    XmlReader& operator=(const XmlReader&) = delete;

    // Moves to the next node; false at the end of the document.
    bool next();
    // Skips the rest of the current element (its children and end tag); the
    // reader is then on the node after it. Returns false at the end.
    bool skip_element();

    XmlNodeType type() const noexcept { return type_; }
    // 0 for the root element, 1 for its children, ...
    int depth() const;
    bool is_empty_element() const;
    std::string_view local_name() const;
    std::string_view prefix() const;
    std::string_view namespace_uri() const;
    // Character data of a text or whitespace node.
    std::string_view text() const;

    // Attributes of the current element, namespace declarations excluded.
    // Valid until the next call of next().
    const std::vector<XmlAttribute>& attributes();
    // The value of the attribute with this local name and no namespace
    // (or, for "base", the xml namespace); nullptr when absent.
    const std::string_view* find_attribute(std::string_view local_name);

    // Line of the current node in the document (1-based).
    int line() const;
    const std::string& name() const noexcept { return name_; }
    // Throws Error::invalid_input("<name> line <line>: <message>").
    [[noreturn]] void fail(const std::string& message) const;

    struct Impl;  // libxml2 state, callbacks and the node queue, in xml_reader.cpp

private:
    [[noreturn]] void fail_parse() const;

    std::string name_;
    std::unique_ptr<Impl> impl_;
    XmlNodeType type_ = XmlNodeType::other;
    bool attributes_loaded_ = false;
    std::vector<XmlAttribute> attributes_;
};

// The shape of every repodata list document: one root element holding entry
// elements (primary.xml: <metadata><package>, filelists.xml and other.xml:
// <filelists>/<otherdata> of <package>, updateinfo.xml: <updates><update>).
struct XmlListDocument {
    std::string_view root_name;   // local name of the root element
    std::string_view file_kind;   // "primary.xml", for messages
    std::string_view entry_name;  // local name of an entry (a child of the root)
};

// The one document loop of the streaming readers. Calls on_root on the root
// element (its attributes are readable), then on_entry on each entry
// element, which must read that element up to its end tag; other elements
// are skipped (unknown elements are not ours to judge). Throws
// Error::invalid_input for another root element or a document without one.
void read_list_document(XmlReader& reader, const XmlListDocument& document, const std::function<void()>& on_root,
                        const std::function<void()>& on_entry);

// The packages="N" attribute of the root element the reader is on
// (primary, filelists, other): N, or -1 when absent. Fails the reader when
// N is not a number.
std::int64_t declared_package_count(XmlReader& reader);

}  // namespace chantal::metadata
