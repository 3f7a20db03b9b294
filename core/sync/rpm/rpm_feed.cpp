#include "core/sync/rpm/rpm_feed.h"

#include <memory>

#include "core/base/error.h"
#include "core/pool/content_records.h"
#include "core/sync/rpm/errata_load.h"
#include "core/sync/rpm/installer_tree.h"
#include "core/sync/rpm/metadata_loader.h"
#include "core/sync/rpm/package_signature.h"
#include "core/sync/rpm/upstream_metadata.h"
#include "metadata/rpm/href.h"

namespace chantal {

UpstreamPackage upstream_package(CataloguedPackage&& catalogued, const RepositoryConfig& repository) {
    const auto classification = metadata::classify_href(catalogued.location, catalogued.location_base, repository.feed);
    switch (classification.kind) {
        case metadata::HrefKind::inside_tree: catalogued.placement = MirrorPlacement::in_tree; break;
        case metadata::HrefKind::outside_tree: catalogued.placement = MirrorPlacement::outside_tree; break;
        case metadata::HrefKind::refused: catalogued.placement = MirrorPlacement::refused; break;
    }
    catalogued.placement_problem = classification.reason;
    return std::move(static_cast<UpstreamPackage&>(catalogued));
}

namespace {

// The repomd.xml and .treeinfo (when upstream has one) of one feed, fetched
// when the feed is opened.
class RpmFeed final : public UpstreamFeed {
public:
    RpmFeed(Downloader& downloader, const RepositoryConfig& repository, const UpstreamTrust* trust)
        : downloader_(downloader),
          repository_(repository),
          repomd_(fetch_repomd(downloader, repository)),
          treeinfo_(fetch_treeinfo(downloader, repository)) {
        if (treeinfo_ && repository.mode == RepositoryMode::filtered && !metadata::fits_generated_layout(treeinfo_->parsed))
            warnings_.push_back(".treeinfo places a variant's repository or packages elsewhere than a generated tree "
                                "has them (repository = ., packages = Packages); this filtered repo serves no installer tree");
        if (!trust) return;
        for (auto& warning : trust->check_index("repodata/repomd.xml", repomd_.bytes, "repodata/repomd.xml.asc", repomd_.signature))
            warnings_.push_back(std::move(warning));
        if (trust->settings().gpgcheck) package_checker_.emplace(trust->keys().binary_public_keys());
    }

    const std::vector<std::string>& warnings() const override { return warnings_; }

    std::optional<SignatureProblem> package_signature_problem(const std::filesystem::path& package_file) const override {
        if (!package_checker_) throw Error::internal("repo " + repository_.id + ": package signatures are not checked");
        const PackageSignatureCheck check = package_checker_->check(package_file);
        if (check.ok()) return std::nullopt;
        return SignatureProblem{check.outcome == PackageSignatureCheck::Outcome::unsigned_, check.reason};
    }

    const std::string& index_sha256() const override { return repomd_.sha256; }
    std::string extra_index_sha256() const override { return treeinfo_ ? treeinfo_->sha256 : std::string(); }

    std::vector<UpstreamOffer> index_offers() const override {
        std::vector<UpstreamOffer> offers;
        auto add_bytes = [&](const std::optional<std::string>& bytes, const std::string& name) {
            if (bytes) offers.push_back({"", *bytes, {HashAlgorithm::sha256, sha256_hex(*bytes)}, bytes->size(), name});
        };
        add_bytes(repomd_.bytes, "repomd.xml");
        add_bytes(repomd_.signature, "repomd.xml.asc");
        add_bytes(repomd_.key, "repomd.xml.key");
        for (const auto& record : repomd_.parsed.records) {
            if (metadata::classify_href(record.location_href, "", repository_.feed).kind == metadata::HrefKind::refused)
                continue;
            offers.push_back({metadata::resolve_href(repository_.feed, record.location_href), std::nullopt,
                              {record.checksum.algorithm, record.checksum.value}, record.size,
                              std::string(metadata::href_file_name(record.location_href))});
        }
        if (treeinfo_)
            for (auto& offer : installer_tree_offers(repository_, *treeinfo_)) offers.push_back(std::move(offer));
        return offers;
    }

    UpstreamIndexes fetch_indexes(Database& database, const Pool& pool, IndexScope scope,
                                  SyncObserver& observer) override {
        const MetadataSelection selection =
            scope == IndexScope::everything ? MetadataSelection{} : MetadataSelection{false, {"primary"}};
        UpstreamMetadata fetched =
            fetch_upstream_metadata(downloader_, database, pool, repository_, repomd_, selection, observer);
        if (!fetched.find("primary"))
            throw Error::invalid_input("repo " + repository_.id + ": repomd.xml lists no primary metadata");
        UpstreamIndexes indexes;
        indexes.files_downloaded = fetched.files_downloaded;
        indexes.bytes_downloaded = fetched.bytes_downloaded;
        if (fetched.paths_leave_tree) indexes.leaves_tree = "repomd.xml lists metadata outside repodata/";
        indexes.files = std::move(fetched.files);
        if (scope == IndexScope::everything && treeinfo_) {
            InstallerTreeFiles installer =
                fetch_installer_tree(downloader_, database, pool, repository_, *treeinfo_, observer);
            indexes.files_downloaded += installer.files_downloaded;
            indexes.bytes_downloaded += installer.bytes_downloaded;
            for (auto& file : installer.files) indexes.files.push_back(std::move(file));
        }
        return indexes;
    }

    std::vector<UpstreamPackage> catalogue_packages(Database& database, const UpstreamIndexes& indexes,
                                                    SyncObserver& observer) override {
        auto to_load = [&](std::string_view type) -> std::optional<MetadataFileToLoad> {
            for (const auto& file : indexes.files)
                if (file.metadata_type == type)
                    return MetadataFileToLoad{file.pool_entry.path, repository_.id + ": " + file.path, file.open_size};
            return std::nullopt;
        };
        const auto primary = to_load("primary");
        if (!primary) throw Error::invalid_input("repo " + repository_.id + ": repomd.xml lists no primary metadata");
        observer.stage(repository_.id, "reading package metadata");
        std::vector<CataloguedPackage> catalogued =
            load_package_metadata(database, *primary, to_load("filelists"), to_load("other"));
        for (const auto& file : indexes.files)
            if (file.metadata_type == "updateinfo")
                load_updateinfo(database, ContentRecorder(database).find(file.pool_entry.sha256)->id,
                                {file.pool_entry.path, repository_.id + ": " + file.path, file.open_size});
        std::vector<UpstreamPackage> packages;
        packages.reserve(catalogued.size());
        for (auto& package : catalogued) packages.push_back(upstream_package(std::move(package), repository_));
        return packages;
    }

private:
    Downloader& downloader_;
    const RepositoryConfig& repository_;
    UpstreamRepomd repomd_;
    std::optional<UpstreamTreeinfo> treeinfo_;  // nullopt: upstream has no installer tree
    std::vector<std::string> warnings_;
    std::optional<RpmSignatureChecker> package_checker_;
};

}  // namespace

std::unique_ptr<UpstreamFeed> open_rpm_feed(Downloader& downloader, const RepositoryConfig& repository,
                                            const UpstreamTrust* trust) {
    return std::make_unique<RpmFeed>(downloader, repository, trust);
}

}  // namespace chantal
