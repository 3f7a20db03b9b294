// other.xml: per-package <changelog> entries, kept verbatim and keyed by
// pkgid. See package_list_file.h for the contracts.
#pragma once

#include "metadata/rpm/package_list_file.h"

namespace chantal::metadata {

using OtherPackage = PackageListEntry;

inline PackageFileSummary read_other(DecompressingReader& input, const std::function<void(OtherPackage&)>& on_package) {
    return read_package_list(input, kOtherFormat, on_package);
}

class OtherWriter : public PackageListWriter {
public:
    OtherWriter(ByteSink& output, std::uint64_t package_count) : PackageListWriter(output, kOtherFormat, package_count) {}
};

}  // namespace chantal::metadata
