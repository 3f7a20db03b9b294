#include "core/tree/deb/apt_format.h"

#include "core/base/error.h"
#include "core/base/url.h"
#include "metadata/deb/debian_version.h"

namespace chantal {
namespace {

std::string debian_version_text(const PackageVersion& version) {
    return metadata::format_debian_version({version.epoch, std::string(version.version), std::string(version.release)});
}

[[noreturn]] void no_generated_trees(const TreeContents& contents) {
    throw Error::unsupported(contents.state().ref.path() +
                             ": generated APT trees (filtered, hosted and view trees) are not supported yet");
}

}  // namespace

std::string AptFormat::package_file_name(const UpstreamPackage& package) const {
    return package.location.substr(package.location.rfind('/') + 1);
}

std::string AptFormat::package_full_name(const UpstreamPackage& package) const {
    return package.name + "_" + debian_version_text(package.package_version()) + "_" + package.arch;
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

std::string AptFormat::generated_tree_digest(Database&, const TreeContents& contents) const { no_generated_trees(contents); }

std::optional<GeneratedFiles> AptFormat::find_generated_files(Database&, const std::string&) const { return std::nullopt; }

GeneratedFiles AptFormat::ensure_generated_files(Database&, const Pool&, const TreeContents& contents,
                                                 std::optional<std::string>) const {
    no_generated_trees(contents);
}

}  // namespace chantal
