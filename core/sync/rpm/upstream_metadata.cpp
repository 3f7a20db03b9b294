#include "core/sync/rpm/upstream_metadata.h"

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/pool/content_records.h"
#include "metadata/rpm/href.h"

namespace chantal {
namespace {

constexpr std::uint64_t kMaximumRepomdSize = 64ULL << 20;  // bytes; real ones are a few KiB
constexpr std::uint64_t kMaximumSignatureSize = 1ULL << 20;

std::string repodata_url(const RepositoryConfig& repository, const std::string& file) {
    return metadata::resolve_href(repository.feed, "repodata/" + file);
}

}  // namespace

const UpstreamMetadataFile* UpstreamMetadata::find(const std::string& metadata_type) const {
    for (const auto& file : files)
        if (file.metadata_type == metadata_type) return &file;
    return nullptr;
}

UpstreamRepomd fetch_repomd(Downloader& downloader, const RepositoryConfig& repository) {
    UpstreamRepomd repomd;
    try {
        repomd.bytes = downloader.fetch_to_memory(repodata_url(repository, "repomd.xml"), kMaximumRepomdSize);
    } catch (const Error& error) {
        throw Error(error.kind(), "repo " + repository.id + ": cannot fetch repomd.xml: " + error.what(),
                    error.system_errno());
    }
    repomd.sha256 = sha256_hex(repomd.bytes);
    repomd.parsed = metadata::parse_repomd(repomd.bytes, repository.id + ": repodata/repomd.xml");
    repomd.signature = downloader.fetch_if_present(repodata_url(repository, "repomd.xml.asc"), kMaximumSignatureSize);
    repomd.key = downloader.fetch_if_present(repodata_url(repository, "repomd.xml.key"), kMaximumSignatureSize);
    return repomd;
}

UpstreamMetadata fetch_upstream_metadata(Downloader& downloader, Database& database, const Pool& pool,
                                         const RepositoryConfig& repository, UpstreamRepomd repomd,
                                         const MetadataSelection& selection, SyncObserver& observer) {
    UpstreamMetadata result;
    ContentRecorder contents(database);
    Transaction transaction(database);
    auto keep_in_memory_file = [&](const std::string& bytes, const std::string& name, const std::string& type) {
        PoolEntry entry = pool.add_bytes(bytes, name);
        contents.record(entry, "metadata");
        result.files.push_back({"repodata/" + name, type, entry, std::nullopt});
    };
    keep_in_memory_file(repomd.bytes, "repomd.xml", "repomd");
    if (repomd.signature) keep_in_memory_file(*repomd.signature, "repomd.xml.asc", "repomd_signature");
    if (repomd.key) keep_in_memory_file(*repomd.key, "repomd.xml.key", "repomd_key");

    // Metadata files repomd lists: reuse what the pool has, fetch the rest.
    std::vector<DownloadRequest> requests;
    std::vector<const metadata::RepomdRecord*> requested_records;
    const std::filesystem::path download_directory = pool.temp_root() / ("sync-" + repository.id);
    chantal::create_directories(download_directory);
    for (const auto& record : repomd.parsed.records) {
        if (!selection.all && std::find(selection.types.begin(), selection.types.end(), record.type) == selection.types.end())
            continue;
        const auto classification = metadata::classify_href(record.location_href, "", repository.feed);
        if (classification.kind == metadata::HrefKind::refused)
            throw Error::invalid_input("repo " + repository.id + ": repomd.xml lists '" + record.type +
                                       "' at a refused location: " + classification.reason);
        const std::string path = classification.kind == metadata::HrefKind::inside_tree
                                     ? record.location_href
                                     : "repodata/" + std::string(metadata::href_file_name(record.location_href));
        if (classification.kind != metadata::HrefKind::inside_tree) result.paths_leave_tree = true;
        const std::string file_name(metadata::href_file_name(record.location_href));
        if (record.checksum.algorithm == HashAlgorithm::sha256) {
            auto known = contents.find(record.checksum.value);
            if (known && pool.has_file(known->sha256, known->filename, known->size)) {
                pool.touch(known->sha256, known->filename);  // spared by a concurrent pool cleanup
                result.files.push_back({path, record.type,
                                        PoolEntry{{known->sha256, known->filename, known->size},
                                                  pool.path_for(known->sha256, known->filename), true},
                                        record.open_size});
                continue;
            }
        }
        DownloadRequest request;
        request.url = metadata::resolve_href(repository.feed, record.location_href);
        request.destination = download_directory / (record.checksum.value.substr(0, 64) + ".part");
        request.expected_size = record.size;
        request.expected_checksum = ExpectedChecksum{record.checksum.algorithm, record.checksum.value};
        request.tag = requested_records.size();
        requests.push_back(std::move(request));
        requested_records.push_back(&record);
        result.files.push_back({path, record.type, PoolEntry{}, record.open_size});
    }
    if (!requests.empty()) {
        observer.stage(repository.id, "fetching " + std::to_string(requests.size()) + " metadata files");
        auto results = downloader.download(requests);
        pool.sync_file_system();  // the downloads are durable before they get final names
        for (const auto& download : results) {
            const auto& record = *requested_records[download.tag];
            if (!download.ok())
                throw Error(download.error->kind(),
                            "repo " + repository.id + ": metadata '" + record.type + "': " + download.error->what());
            // A file the catalogue knows (its pool file was missing or had the
            // wrong size) goes back under the name its row gives it.
            const auto known = contents.find(download.sha256);
            PoolEntry entry = pool.adopt_verified_file(
                requests[download.index].destination, download.sha256,
                known ? known->filename : std::string(metadata::href_file_name(record.location_href)),
                Pool::Durability::deferred);
            contents.record(entry, "metadata");
            result.bytes_downloaded += download.bytes_transferred;
            ++result.files_downloaded;
            for (auto& file : result.files)
                if (file.metadata_type == record.type && file.pool_entry.sha256.empty()) {
                    file.pool_entry = entry;
                    break;
                }
        }
    }
    pool.sync_file_system();  // ... and so are their renames, before the catalogue names them
    transaction.commit();
    result.repomd = std::move(repomd);
    return result;
}

}  // namespace chantal
