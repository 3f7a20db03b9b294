// The APT package format (core/tree/package_format.h), `type: apt`:
// versions in dpkg's order (libapt-pkg); packages named by upstream's
// Filename (its last component) and fetched at Filename against the feed;
// index files under dists/. Its upstream feed (InRelease or Release +
// Release.gpg, and the Packages and Sources indexes it lists, read into the
// catalogue) is core/sync/deb/apt_feed.h.
//
// Generated APT trees (filtered and hosted repositories):
// core/tree/deb/generated_apt_indexes.h; uploads into hosted ones:
// core/upload/deb/deb_package_file.h. APT views are not implemented (the
// config refuses them).
//
// Thread safety: stateless.
#pragma once

#include "core/tree/package_format.h"

namespace chantal {

class AptFormat final : public PackageFormat {
public:
    std::string_view type() const override { return "apt"; }
    // The last component of upstream's Filename (a clean path, checked when read).
    std::string package_file_name(const UpstreamPackage& package) const override;
    // name_[epoch:]version[-revision]_arch, as apt prints a package.
    using PackageFormat::package_full_name;
    std::string package_full_name(std::string_view name, const PackageVersion& version,
                                  std::string_view arch) const override;
    // The feed URL joined with Filename (escaped).
    std::string package_url(const UpstreamPackage& package, const RepositoryConfig& repository) const override;
    // dpkg's order of epoch:version-revision (version = upstream part,
    // release = Debian revision, "" for none).
    std::string_view source_package_label() const override { return "source package"; }
    int compare_versions(const PackageVersion& a, const PackageVersion& b) const override;
    // No rule from a file name alone: nullopt.
    std::optional<std::string> generated_package_path(std::string_view file_name) const override;
    // Debian's pool layout: pool/<component>/<prefix>/<source>/<file name>.
    std::optional<std::string> generated_package_path(const UpstreamPackage& package) const override;
    std::string_view index_directory() const override { return "dists"; }
    std::string generated_tree_digest(Database& database, const TreeContents& contents) const override;
    std::optional<GeneratedFiles> find_generated_files(Database& database, const std::string& tree_digest) const override;
    GeneratedFiles ensure_generated_files(Database& database, const Pool& pool, const TreeContents& contents,
                                          std::optional<std::string> tree_digest) const override;
};

}  // namespace chantal
