// Catalogue rows for the packages and source files an APT index lists
// (tables packages and package_metadata). A row is keyed by the file's
// sha256 (checksum_type 'sha256'), so a .deb listed by several suites,
// components or repositories is one row. Columns: version = the upstream
// part, release = the Debian revision ("" when none), arch = Architecture
// ("source" for a source package's files), sourcerpm = the source package's
// name, package_group = Section, location_href = Filename (or Directory/name),
// summary = the first line of Description, size_installed = Installed-Size
// (KiB) in bytes; package_metadata.primary_xml
// holds upstream's stanza verbatim (the format's own index entry).
//
// One recorder reuses its prepared statements; it belongs to one thread and
// must not outlive its Database. Callers wrap a load in one Transaction.
#pragma once

#include "core/catalogue/sqlite.h"
#include "core/tree/package_format.h"
#include "metadata/deb/packages_index.h"
#include "metadata/deb/sources_index.h"

namespace chantal {

class AptPackageRecorder {
public:
    explicit AptPackageRecorder(Database& database);
    // The package of a Packages stanza of `component`'s index, inserted
    // unless catalogued; placed in_tree.
    UpstreamPackage record(const metadata::DebianPackage& package, const std::string& component);
    // One file of a Sources stanza (its .dsc, .orig.tar.*, ...), as a package of arch "source".
    UpstreamPackage record(const metadata::DebianSource& source, const metadata::SourceFile& file,
                           const std::string& component);

private:
    UpstreamPackage insert(UpstreamPackage package, std::string_view source, std::string_view section,
                           std::string_view summary, std::uint64_t installed_size, std::string_view stanza);

    Statement insert_;
    Statement insert_metadata_;
    Statement select_;
};

}  // namespace chantal
