// The shared shape of filelists.xml and other.xml: a root element with a
// packages="N" count and one <package pkgid name arch><version .../>...
// element per package, kept verbatim (fragment convention of xml_copy.h:
// no xmlns declarations, the file's namespace as default).
// filelists.h and other.h name the two instances.
//
// Not thread-safe; one reader/writer per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/primary.h"

namespace chantal::metadata {

struct PackageListFormat {
    std::string_view root_name;       // "filelists" or "otherdata"
    std::string_view namespace_uri;   // written as the root's default namespace
    std::string_view file_kind;       // "filelists.xml", for messages
};

inline constexpr PackageListFormat kFilelistsFormat{"filelists", "http://linux.duke.edu/metadata/filelists",
                                                    "filelists.xml"};
inline constexpr PackageListFormat kOtherFormat{"otherdata", "http://linux.duke.edu/metadata/other", "other.xml"};

struct PackageListEntry {
    std::string pkgid;  // lowercase hex; matches PrimaryPackage::checksum
    std::string name;
    std::string arch;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    std::string xml;  // the whole <package> element
    int line = 0;
};

// Calls on_package for every <package>; the entry is reused between calls
// (valid during the call; fields may be moved out). pkgid, name and arch are
// required, pkgid must be a hex string of 40..128 characters.
PackageFileSummary read_package_list(DecompressingReader& input, const PackageListFormat& format,
                                     const std::function<void(PackageListEntry&)>& on_package);

// Writes the file one stored fragment at a time; see PrimaryWriter for the
// count contract.
class PackageListWriter {
public:
    PackageListWriter(ByteSink& output, const PackageListFormat& format, std::uint64_t package_count);
    void add(std::string_view package_xml);
    void finish();

private:
    ByteSink& output_;
    PackageListFormat format_;
    std::uint64_t expected_;
    std::uint64_t written_ = 0;
};

}  // namespace chantal::metadata
