// filelists.xml: per-package <file> lists, kept verbatim and keyed by pkgid.
// See package_list_file.h for the contracts.
#pragma once

#include "metadata/rpm/package_list_file.h"

namespace chantal::metadata {

using FilelistsPackage = PackageListEntry;

inline PackageFileSummary read_filelists(DecompressingReader& input,
                                         const std::function<void(FilelistsPackage&)>& on_package) {
    return read_package_list(input, kFilelistsFormat, on_package);
}

class FilelistsWriter : public PackageListWriter {
public:
    FilelistsWriter(ByteSink& output, std::uint64_t package_count)
        : PackageListWriter(output, kFilelistsFormat, package_count) {}
};

}  // namespace chantal::metadata
