// XmlNodeCopier: re-serializes what an XmlReader reads, node by node, so a
// per-package element can be stored "verbatim" while it is being parsed in
// the same pass.
//
// Namespaces. Stored element XML is a fragment meant to be pasted under the
// standard root element of its file, which declares the file's namespace as
// the default and binds the prefix "rpm" to the rpm namespace (exactly what
// createrepo_c writes and what libsolv, which matches "rpm:entry" literally,
// expects). So the copier writes:
//  - elements in the file's namespace (or in none) without prefix;
//  - elements and attributes in the rpm namespace with prefix "rpm:",
//    whatever prefix upstream used (declared inline unless the root does);
//  - attributes in the xml namespace as "xml:<name>";
//  - anything in another namespace with its own prefix and an xmlns
//    declaration on that element, so the fragment stays well-formed;
//  - upstream's own xmlns declarations are dropped (re-declared as above).
// Comments and processing instructions are dropped; CDATA becomes escaped
// text; whitespace is kept as upstream wrote it.
//
// Not thread-safe (holds no shared state; one copier per reader).
#pragma once

#include <string>
#include <string_view>

#include "metadata/rpm/xml_reader.h"

namespace chantal::metadata {

inline constexpr std::string_view kCommonNamespace = "http://linux.duke.edu/metadata/common";
inline constexpr std::string_view kRpmNamespace = "http://linux.duke.edu/metadata/rpm";
inline constexpr std::string_view kFilelistsNamespace = "http://linux.duke.edu/metadata/filelists";
inline constexpr std::string_view kOtherNamespace = "http://linux.duke.edu/metadata/other";
inline constexpr std::string_view kRepoNamespace = "http://linux.duke.edu/metadata/repo";

class XmlNodeCopier {
public:
    // file_namespace: the namespace written without a prefix ("" for files
    // without namespaces, such as updateinfo.xml). rpm_prefix_on_root: the
    // root declares xmlns:rpm (primary.xml); otherwise rpm-namespace nodes
    // are treated like any other namespace and declared where used.
    explicit XmlNodeCopier(std::string_view file_namespace, bool rpm_prefix_on_root = false)
        : file_namespace_(file_namespace), rpm_prefix_on_root_(rpm_prefix_on_root) {}
    // Appends the reader's current node to out (start tag with attributes,
    // end tag, or text).
    void append(XmlReader& reader, std::string& out) const;

private:
    void append_name(std::string& out, std::string_view prefix, std::string_view local_name,
                     std::string_view namespace_uri, std::string* declaration) const;
    std::string_view file_namespace_;
    bool rpm_prefix_on_root_;
};

}  // namespace chantal::metadata
