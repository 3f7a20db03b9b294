// The package selection of a filtered repository (design.md §2 filters):
// include/exclude regexes searched in the name and in N-V-R.A, architecture
// include/exclude, source RPMs, and "only the latest N versions" per
// (name, arch) in the format's version order. Immutable after construction;
// select() is thread-safe.
#pragma once

#include <cstddef>
#include <vector>

#include "core/base/regex.h"
#include "core/config/config.h"
#include "core/tree/package_format.h"

namespace chantal {

class PackageFilter {
public:
    // `format` (a singleton) orders versions.
    PackageFilter(const RepositoryFilters& filters, const PackageFormat& format);
    // Indexes of the selected packages, ascending.
    std::vector<std::size_t> select(const std::vector<UpstreamPackage>& packages) const;
    bool accepts(const UpstreamPackage& package) const;  // before post-processing

private:
    const PackageFormat& format_;
    std::vector<Regex> include_;
    std::vector<Regex> exclude_;
    std::vector<std::string> include_architectures_;
    std::vector<std::string> exclude_architectures_;
    bool exclude_source_rpms_;
    int keep_versions_;  // 0: all
};

}  // namespace chantal
