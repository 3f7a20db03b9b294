#include "core/sync/package_filter.h"

#include <algorithm>
#include <map>


namespace chantal {

PackageFilter::PackageFilter(const RepositoryFilters& filters, const PackageFormat& format)
    : format_(format),
      include_architectures_(filters.architectures.include),
      exclude_architectures_(filters.architectures.exclude),
      exclude_source_rpms_(filters.exclude_source_rpms),
      keep_versions_(filters.only_latest_n_versions > 0 ? filters.only_latest_n_versions
                                                        : filters.only_latest_version ? 1 : 0) {
    for (const auto& pattern : filters.patterns.include) include_.emplace_back(pattern);
    for (const auto& pattern : filters.patterns.exclude) exclude_.emplace_back(pattern);
}

bool PackageFilter::accepts(const UpstreamPackage& package) const {
    auto listed = [](const std::vector<std::string>& list, const std::string& value) {
        return std::find(list.begin(), list.end(), value) != list.end();
    };
    if (exclude_source_rpms_ && (package.arch == "src" || package.arch == "nosrc")) return false;
    if (!include_architectures_.empty() && !listed(include_architectures_, package.arch)) return false;
    if (listed(exclude_architectures_, package.arch)) return false;
    if (include_.empty() && exclude_.empty()) return true;
    const std::string nvra = package.name + "-" + package.version + "-" + package.release + "." + package.arch;
    auto matches = [&](const Regex& regex) { return regex.search(package.name) || regex.search(nvra); };
    if (!include_.empty() && std::none_of(include_.begin(), include_.end(), matches)) return false;
    return std::none_of(exclude_.begin(), exclude_.end(), matches);
}

std::vector<std::size_t> PackageFilter::select(const std::vector<UpstreamPackage>& packages) const {
    std::vector<std::size_t> selected;
    for (std::size_t i = 0; i < packages.size(); ++i)
        if (accepts(packages[i])) selected.push_back(i);
    if (keep_versions_ == 0) return selected;

    std::map<std::pair<std::string_view, std::string_view>, std::vector<std::size_t>> by_name_arch;
    for (std::size_t index : selected) by_name_arch[{packages[index].name, packages[index].arch}].push_back(index);
    std::vector<std::size_t> kept;
    for (auto& [key, indexes] : by_name_arch) {
        std::stable_sort(indexes.begin(), indexes.end(), [&](std::size_t left, std::size_t right) {
            const auto& a = packages[left];
            const auto& b = packages[right];
            return format_.compare_versions(a.package_version(), b.package_version()) > 0;
        });
        // Keep the newest N distinct EVRs (equal EVRs, e.g. rebuilt twice, count once).
        int versions = 0;
        for (std::size_t i = 0; i < indexes.size(); ++i) {
            const auto& package = packages[indexes[i]];
            if (i == 0 ||
                format_.compare_versions(package.package_version(), packages[indexes[i - 1]].package_version()) != 0)
                ++versions;
            if (versions > keep_versions_) break;
            kept.push_back(indexes[i]);
        }
    }
    std::sort(kept.begin(), kept.end());
    return kept;
}

}  // namespace chantal
