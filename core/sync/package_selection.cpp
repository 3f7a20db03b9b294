#include "core/sync/package_selection.h"

#include "core/base/error.h"
#include "core/base/url.h"
#include "core/sync/package_filter.h"

namespace chantal {

PackageSelection select_packages(const PackageFormat& format, const RepositoryConfig& repository,
                                 std::vector<UpstreamPackage>& packages,
                                 const std::optional<std::string>& indexes_leave_tree,
                                 const PackageDetailsLookup& details, std::int64_t now) {
    PackageSelection selection;
    selection.generated_tree = repository.mode == RepositoryMode::filtered || indexes_leave_tree.has_value();
    if (indexes_leave_tree) selection.warnings.push_back(*indexes_leave_tree + "; serving a generated tree");
    std::vector<std::size_t> indexes;
    if (repository.mode == RepositoryMode::filtered) {
        const PackageFilter filter(repository, format, now);
        indexes = filter.select(packages, details);
        if (indexes.empty() && !packages.empty())
            selection.warnings.push_back("the filters leave none of upstream's " + std::to_string(packages.size()) +
                                         " package(s): " + filter.explain_nothing_selected(packages, details));
    } else {
        indexes.resize(packages.size());
        for (std::size_t i = 0; i < packages.size(); ++i) indexes[i] = i;
    }
    std::size_t outside = 0;
    std::string first_outside;
    for (std::size_t index : indexes) {
        UpstreamPackage& package = packages[index];
        if (package.placement == MirrorPlacement::refused)
            throw Error::invalid_input("repo " + repository.id + ": package " + package.full_name() +
                                       " has a refused location: " + package.placement_problem);
        if (package.placement == MirrorPlacement::outside_tree && outside++ == 0)
            first_outside = package.full_name() + " (" + package.placement_problem + ")";
        selection.packages.push_back(&package);
    }
    if (outside > 0 && !selection.generated_tree) {
        selection.generated_tree = true;
        selection.warnings.push_back(std::to_string(outside) + " package location(s) leave the repository tree, e.g. " +
                                     first_outside + "; serving a generated tree instead of a mirror");
    }
    return selection;
}

std::string latest_package_path(const PackageFormat& format, const PackageSelection& selection,
                                const UpstreamPackage& package) {
    if (!selection.generated_tree) return package.location;
    auto path = format.generated_package_path(package);
    if (!path)
        throw Error::invalid_input("\"" + escape_url_path(package.file_name()) + "\" cannot be a package file name");
    return std::move(*path);
}

}  // namespace chantal
