#include "core/tree/rpm/rpm_format.h"

#include "core/catalogue/rpm/rpm_view_placement.h"
#include "core/tree/rpm/generated_repodata.h"
#include "metadata/rpm/evr.h"
#include "metadata/rpm/href.h"

namespace chantal {

std::string RpmFormat::package_file_name(const UpstreamPackage& package) const {
    return package.name + "-" + package.version + "-" + package.release + "." + package.arch + ".rpm";
}

std::string RpmFormat::package_full_name(std::string_view name, const PackageVersion& version,
                                         std::string_view arch) const {
    return std::string(name) + "-" + (version.epoch != 0 ? std::to_string(version.epoch) + ":" : "") +
           std::string(version.version) + "-" + std::string(version.release) + "." + std::string(arch);
}

std::string RpmFormat::package_url(const UpstreamPackage& package, const RepositoryConfig& repository) const {
    return metadata::resolve_href(repository.feed, package.location, package.location_base);
}

int RpmFormat::compare_versions(const PackageVersion& a, const PackageVersion& b) const {
    if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
    if (int order = metadata::rpmvercmp(a.version, b.version)) return order;
    return metadata::rpmvercmp(a.release, b.release);
}

std::optional<std::string> RpmFormat::generated_package_path(std::string_view file_name) const {
    return rpm_package_path(file_name);
}

std::string RpmFormat::generated_tree_digest(Database& database, const TreeContents& contents) const {
    return chantal::generated_tree_digest(database, contents);
}

std::optional<GeneratedFiles> RpmFormat::find_generated_files(Database& database, const std::string& tree_digest) const {
    return find_generated_repodata(database, tree_digest);
}

GeneratedFiles RpmFormat::ensure_generated_files(Database& database, const Pool& pool, const TreeContents& contents,
                                                 std::optional<std::string> tree_digest) const {
    return ensure_generated_repodata(database, pool, contents, std::move(tree_digest));
}

}  // namespace chantal
