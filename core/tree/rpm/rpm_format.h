// The RPM package format (core/tree/package_format.h): versions in
// rpmvercmp order; packages named name-version-release.arch.rpm and fetched
// at their location hrefs; generated repodata (generated_repodata.h). Its
// upstream feed (repomd.xml and the files it lists read into the catalogue)
// is in core/sync/rpm/rpm_feed.h.
//
// Thread safety: stateless.
#pragma once

#include "core/tree/package_format.h"

namespace chantal {

class RpmFormat final : public PackageFormat {
public:
    std::string_view type() const override { return "rpm"; }
    // name-version-release.arch.rpm, from the NEVRA; name-[epoch:]version-release.arch.
    std::string package_file_name(const UpstreamPackage& package) const override;
    using PackageFormat::package_full_name;
    std::string package_full_name(std::string_view name, const PackageVersion& version,
                                  std::string_view arch) const override;
    // The location href against its xml:base or the feed (metadata/rpm/href.h).
    std::string package_url(const UpstreamPackage& package, const RepositoryConfig& repository) const override;
    std::string_view source_package_label() const override { return "source rpm"; }
    int compare_versions(const PackageVersion& a, const PackageVersion& b) const override;
    using PackageFormat::generated_package_path;
    std::optional<std::string> generated_package_path(std::string_view file_name) const override;
    std::string_view index_directory() const override { return "repodata"; }
    std::string generated_tree_digest(Database& database, const TreeContents& contents) const override;
    std::optional<GeneratedFiles> find_generated_files(Database& database, const std::string& tree_digest) const override;
    GeneratedFiles ensure_generated_files(Database& database, const Pool& pool, const TreeContents& contents,
                                          std::optional<std::string> tree_digest) const override;
};

}  // namespace chantal
