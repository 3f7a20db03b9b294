#include "core/tree/deb/apt_format.h"

#include "core/base/error.h"
#include "core/base/url.h"
#include "core/tree/deb/generated_apt_indexes.h"
#include "metadata/deb/debian_version.h"
#include "metadata/deb/pool_path.h"

namespace chantal {
namespace {

std::string debian_version_text(const PackageVersion& version) {
    return metadata::format_debian_version({version.epoch, std::string(version.version), std::string(version.release)});
}

}  // namespace

std::string AptFormat::package_file_name(const UpstreamPackage& package) const {
    return package.location.substr(package.location.rfind('/') + 1);
}

std::string AptFormat::package_full_name(std::string_view name, const PackageVersion& version,
                                         std::string_view arch) const {
    return std::string(name) + "_" + debian_version_text(version) + "_" + std::string(arch);
}

std::string AptFormat::package_url(const UpstreamPackage& package, const RepositoryConfig& repository) const {
    if (package.placement == MirrorPlacement::refused)
        throw Error::invalid_input("repo " + repository.id + ": " + package_full_name(package) +
                                   " has a refused location: " + package.placement_problem);
    return join_url(repository.feed, package.location);
}

int AptFormat::compare_versions(const PackageVersion& a, const PackageVersion& b) const {
    return metadata::compare_debian_versions(debian_version_text(a), debian_version_text(b));
}

std::optional<std::string> AptFormat::generated_package_path(std::string_view) const { return std::nullopt; }

std::optional<std::string> AptFormat::generated_package_path(const UpstreamPackage& package) const {
    const std::string file_name = package_file_name(package);
    if (package.component.empty() || file_name.empty()) return std::nullopt;
    return metadata::debian_pool_path(package.component, package.source_name.empty() ? package.name : package.source_name,
                                      file_name);
}

std::string AptFormat::generated_tree_digest(Database& database, const TreeContents& contents) const {
    return generated_apt_tree_digest(database, contents);
}

std::optional<GeneratedFiles> AptFormat::find_generated_files(Database& database, const std::string& tree_digest) const {
    return find_generated_apt_indexes(database, tree_digest);
}

GeneratedFiles AptFormat::ensure_generated_files(Database& database, const Pool& pool, const TreeContents& contents,
                                                 std::optional<std::string> tree_digest) const {
    return ensure_generated_apt_indexes(database, pool, contents, std::move(tree_digest));
}

}  // namespace chantal
