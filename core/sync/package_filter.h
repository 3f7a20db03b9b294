// The package selection of a filtered repository (design.md §2 filters):
// include/exclude regexes searched in the name and in N-V-R.A, architecture
// include/exclude, file size, build time, RPM group, license, vendor and
// epoch, source RPMs, Debian priority and section, and "only the latest N
// versions" per (name, arch) in the format's version order
// (filters.post_processing and the retention policies newest-only /
// keep-last-n; the smaller bound wins). Immutable
// after construction; select() is thread-safe when its lookup is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/base/regex.h"
#include "core/catalogue/package_details.h"
#include "core/config/config.h"
#include "core/tree/package_format.h"

namespace chantal {

// Reads what a package's catalogue row holds (PackageDetailsReader, with
// the priority when filters.deb.priorities is set).
using PackageDetailsLookup = std::function<PackageDetails(const UpstreamPackage&)>;

// The earliest build time filters.metadata.build_time lets through at
// `now` (unix seconds), nullopt for no lower bound.
std::optional<std::int64_t> earliest_build_time(const BuildTimeWindow& window, std::int64_t now);

// Versions per name.arch the repository keeps (post-processing and
// retention); 0: no bound.
int versions_kept(const RepositoryConfig& repository);

class PackageFilter {
public:
    // `format` (a singleton) orders versions; `now` (unix seconds) places
    // build_time.last_n_days.
    PackageFilter(const RepositoryConfig& repository, const PackageFormat& format, std::int64_t now);
    PackageFilter(const PackageFilter&) = delete;
    PackageFilter& operator=(const PackageFilter&) = delete;

    // True when accepts() needs `details` (a build time, group, license,
    // vendor, Debian section or priority filter).
    bool needs_details() const { return needs_details_; }
    // Indexes of the selected packages, ascending. `details` may be empty
    // unless needs_details().
    std::vector<std::size_t> select(const std::vector<UpstreamPackage>& packages,
                                     const PackageDetailsLookup& details) const;
    // Before post-processing. `details`: nullptr unless needs_details().
    bool accepts(const UpstreamPackage& package, const PackageDetails* details) const;

    // Why nothing passes: each filter in effect with how many of `packages`
    // it alone lets through, e.g. "filters.metadata.architectures.include
    // [x86-64] passes 0 of 12 (upstream has noarch, x86_64; did you mean
    // 'x86_64'?)". Empty when there is no filter.
    std::string explain_nothing_selected(const std::vector<UpstreamPackage>& packages,
                                         const PackageDetailsLookup& details) const;

    // Each filter in effect as the messages above name it
    // ("filters.rpm.vendors.include [Acme]"), in the order applied; the
    // versions bound (versions_kept()) is not among them.
    std::vector<std::string> descriptions() const;

private:
    struct Criterion {
        std::string description;  // "filters.rpm.vendors.include [Acme]"
        std::function<bool(const UpstreamPackage&, const PackageDetails*)> accepts;
    };
    void add_criteria(const RepositoryFilters& filters, std::int64_t now);

    const PackageFormat& format_;
    std::vector<std::string> include_architectures_;
    std::vector<Criterion> criteria_;
    bool needs_details_ = false;
    int keep_versions_;  // 0: all
};

}  // namespace chantal
