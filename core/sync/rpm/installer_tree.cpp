#include "core/sync/rpm/installer_tree.h"

#include <unordered_map>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/hash.h"
#include "core/pool/content_records.h"
#include "core/catalogue/installer_tree.h"
#include "metadata/rpm/href.h"

namespace chantal {
namespace {

constexpr std::string_view kTreeinfoPath = ".treeinfo";

std::string_view installer_type(const UpstreamTreeinfo& treeinfo) {
    return metadata::fits_generated_layout(treeinfo.parsed) ? kInstallerTreeType : kInstallerTreeMirrorOnlyType;
}

// The pool entry of already pooled content with this sha256, touched so that
// a concurrent pool cleanup spares it; nullopt when the pool lacks it.
std::optional<PoolEntry> pooled(ContentRecorder& contents, const Pool& pool, const std::string& sha256) {
    const auto known = contents.find(sha256);
    if (!known || !pool.has_file(known->sha256, known->filename, known->size)) return std::nullopt;
    pool.touch(known->sha256, known->filename);
    return PoolEntry{{known->sha256, known->filename, known->size}, pool.path_for(known->sha256, known->filename), true};
}

}  // namespace

std::optional<UpstreamTreeinfo> fetch_treeinfo(Downloader& downloader, const RepositoryConfig& repository) {
    UpstreamTreeinfo treeinfo;
    try {
        treeinfo.bytes = downloader.fetch_to_memory(metadata::resolve_href(repository.feed, kTreeinfoPath),
                                                    metadata::kMaximumTreeinfoSize);
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::not_found) return std::nullopt;
        throw Error(error.kind(), "repo " + repository.id + ": cannot fetch .treeinfo: " + error.what(),
                    error.system_errno());
    }
    treeinfo.sha256 = sha256_hex(treeinfo.bytes);
    treeinfo.parsed = metadata::parse_treeinfo(treeinfo.bytes, "repo " + repository.id + ": .treeinfo");
    return treeinfo;
}

InstallerTreeFiles fetch_installer_tree(Downloader& downloader, Database& database, const Pool& pool,
                                        const RepositoryConfig& repository, const UpstreamTreeinfo& treeinfo,
                                        SyncObserver& observer) {
    const std::string type(installer_type(treeinfo));
    InstallerTreeFiles result;
    ContentRecorder contents(database);
    result.files.push_back(
        {std::string(kTreeinfoPath), type, pool.add_bytes(treeinfo.bytes, std::string(kTreeinfoPath)), std::nullopt});

    // One download per content: trees list the same kernel at two paths
    // (images/pxeboot/vmlinuz, isolinux/vmlinuz).
    std::unordered_map<std::string, PoolEntry> by_sha256;
    std::vector<DownloadRequest> requests;
    const std::filesystem::path download_directory = pool.temp_root() / ("sync-" + repository.id);
    chantal::create_directories(download_directory);
    for (const auto& file : treeinfo.parsed.files) {
        if (by_sha256.count(file.sha256)) continue;
        if (auto entry = pooled(contents, pool, file.sha256)) {
            by_sha256.emplace(file.sha256, std::move(*entry));
            continue;
        }
        by_sha256.emplace(file.sha256, PoolEntry{});
        DownloadRequest request;
        request.url = metadata::resolve_href(repository.feed, file.path);
        request.destination = download_directory / (file.sha256 + ".part");
        request.expected_checksum = ExpectedChecksum{HashAlgorithm::sha256, file.sha256};
        request.tag = static_cast<std::uint64_t>(&file - treeinfo.parsed.files.data());
        requests.push_back(std::move(request));
    }
    if (!requests.empty()) {
        observer.stage(repository.id, "fetching " + std::to_string(requests.size()) + " installer tree files");
        const auto downloads = downloader.download(requests);
        pool.sync_file_system();  // the downloads are durable before they get final names
        for (const auto& download : downloads) {
            const auto& file = treeinfo.parsed.files[download.tag];
            if (!download.ok())
                throw Error(download.error->kind(), "repo " + repository.id + ": installer tree file '" + file.path +
                                                        "' listed in .treeinfo: " + download.error->what());
            const auto known = contents.find(download.sha256);
            PoolEntry entry = pool.adopt_verified_file(requests[download.index].destination, download.sha256,
                                                       known ? known->filename
                                                             : std::string(metadata::href_file_name(file.path)),
                                                       Pool::Durability::deferred);
            result.bytes_downloaded += download.bytes_transferred;
            ++result.files_downloaded;
            by_sha256[file.sha256] = std::move(entry);
        }
    }
    pool.sync_file_system();  // ... and so are their renames, before the catalogue names them
    for (const auto& file : treeinfo.parsed.files)
        result.files.push_back({file.path, type, by_sha256.at(file.sha256), std::nullopt});
    // Recorded after the downloads: no write transaction is held while large images arrive.
    Transaction transaction(database);
    for (const auto& file : result.files) contents.record(file.pool_entry, "metadata");
    transaction.commit();
    return result;
}

std::vector<UpstreamOffer> installer_tree_offers(const RepositoryConfig& repository, const UpstreamTreeinfo& treeinfo) {
    std::vector<UpstreamOffer> offers;
    offers.push_back({"", treeinfo.bytes, {HashAlgorithm::sha256, treeinfo.sha256}, treeinfo.bytes.size(),
                      std::string(kTreeinfoPath)});
    for (const auto& file : treeinfo.parsed.files)
        offers.push_back({metadata::resolve_href(repository.feed, file.path), std::nullopt,
                          {HashAlgorithm::sha256, file.sha256}, std::nullopt,
                          std::string(metadata::href_file_name(file.path))});
    return offers;
}

}  // namespace chantal
