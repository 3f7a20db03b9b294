// The RPM package format (core/tree/package_format.h): repomd.xml and the
// files it lists (primary, filelists, other, updateinfo, comps, modules, ...)
// read into the catalogue; versions in rpmvercmp order; mirror trees at
// upstream's location hrefs; generated repodata (core/tree/rpm/).
//
// Thread safety: RpmFormat is stateless. An RpmFeed belongs to one sync.
#pragma once

#include "core/sync/rpm/package_records.h"
#include "core/tree/package_format.h"

namespace chantal {

// A package primary lists, as the sync driver keeps it: its location href
// (and xml:base) placed against the repository's feed URL.
UpstreamPackage upstream_package(CataloguedPackage&& catalogued, const RepositoryConfig& repository);

class RpmFormat final : public PackageFormat {
public:
    std::string_view type() const override { return "rpm"; }
    std::unique_ptr<UpstreamFeed> open_feed(Downloader& downloader, const RepositoryConfig& repository) const override;
    int compare_versions(const PackageVersion& a, const PackageVersion& b) const override;
    std::optional<std::string> generated_package_path(std::string_view file_name) const override;
    std::string_view index_directory() const override { return "repodata"; }
    std::string generated_tree_digest(Database& database, const TreeContents& contents) const override;
    std::optional<GeneratedFiles> find_generated_files(Database& database, const std::string& tree_digest) const override;
    GeneratedFiles ensure_generated_files(Database& database, const Pool& pool, const TreeContents& contents,
                                          std::optional<std::string> tree_digest) const override;
};

}  // namespace chantal
