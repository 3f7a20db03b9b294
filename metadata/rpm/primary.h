// primary.xml: streaming reader (parsed fields + the package element kept
// verbatim) and streaming writer (from stored elements, href rewritten).
//
// Stored element XML ("fragments") follows the namespace convention of
// xml_copy.h: no xmlns declarations, "rpm:" prefix for the rpm namespace,
// meant to be pasted under <metadata xmlns=common xmlns:rpm=rpm>.
//
// Not thread-safe; one reader/writer per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/base/hash.h"
#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"

namespace chantal::metadata {

struct PrimaryPackage {
    std::string name;
    std::string arch;
    std::uint64_t epoch = 0;  // a missing epoch is 0
    std::string version;
    std::string release;
    HashAlgorithm checksum_algorithm = HashAlgorithm::sha256;
    std::string checksum;  // lowercase hex; the pkgid
    std::uint64_t package_size = 0;    // bytes
    std::uint64_t installed_size = 0;  // bytes
    std::uint64_t archive_size = 0;    // bytes
    std::string location_href;  // as upstream wrote it: data, not a local path
    std::string location_base;  // xml:base, "" when absent
    std::int64_t build_time = 0;  // seconds since the epoch
    std::int64_t file_time = 0;   // seconds since the epoch
    std::string sourcerpm;
    std::string summary;
    std::string license;
    std::string vendor;
    std::string group;
    std::uint64_t header_start = 0;  // rpm:header-range, bytes
    std::uint64_t header_end = 0;
    std::string xml;  // the whole <package> element (fragment, see above)
    int line = 0;     // line of <package> in the file, for messages
};

struct PackageFileSummary {
    std::uint64_t packages_read = 0;
    std::int64_t packages_declared = -1;  // the root's packages="N", -1 when absent
};

// Calls on_package for every <package> of a primary.xml stream, in file
// order. The PrimaryPackage is reused between calls: it is valid during the
// call only, and the callback may move fields out of it. Exceptions thrown
// by the callback propagate. Required per package: name, arch, version
// (ver), checksum (type and value), location href; a missing one, a bad
// number, an md5 or unknown checksum type, or a checksum that is not hex of
// the right length fails with the file name and line.
PackageFileSummary read_primary(DecompressingReader& input,
                                const std::function<void(PrimaryPackage&)>& on_package);

// Writes primary.xml in createrepo_c's layout, one package at a time.
// The packages="N" attribute comes first, so the count is given up front;
// finish() fails (Error::internal) when a different number was added.
class PrimaryWriter {
public:
    PrimaryWriter(ByteSink& output, std::uint64_t package_count);
    // Adds a stored <package> fragment with its <location> replaced by
    // <location href="location_href"/> (xml:base dropped).
    void add(std::string_view package_xml, std::string_view location_href);
    void finish();

private:
    ByteSink& output_;
    std::uint64_t expected_;
    std::uint64_t written_ = 0;
    std::string buffer_;
};

// The fragment with its first <location .../> element replaced by
// <location href="..."/>. Throws Error::invalid_input when there is none.
std::string rewrite_location(std::string_view package_xml, std::string_view location_href);

}  // namespace chantal::metadata
