#include "core/sync/deb/apt_feed.h"

#include <fcntl.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"
#include "core/base/url.h"
#include "core/pool/content_records.h"
#include "core/sync/deb/apt_package_records.h"
#include "core/sync/deb/apt_release.h"
#include "metadata/compression/compression.h"
#include "metadata/deb/packages_index.h"
#include "metadata/deb/sources_index.h"

namespace chantal {
namespace {

// Without a size in the Release, an index decompresses to at most this (bytes).
constexpr std::uint64_t kMaximumIndexSize = 4ULL << 30;

// Preference among the variants of one index when reading it: the formats
// the reader knows, smallest first. .lzma and .lz4 are served, never read.
int read_preference(std::string_view path) {
    if (path.ends_with(".xz")) return 0;
    if (path.ends_with(".zst")) return 1;
    if (path.ends_with(".gz")) return 2;
    if (path.ends_with(".bz2")) return 3;
    if (path.ends_with(".lzma") || path.ends_with(".lz4")) return -1;
    return 4;
}

class AptFeed final : public UpstreamFeed {
public:
    AptFeed(Downloader& downloader, const RepositoryConfig& repository, const UpstreamTrust* trust)
        : downloader_(downloader),
          repository_(repository),
          release_(fetch_upstream_release(downloader, repository, trust, static_cast<std::int64_t>(std::time(nullptr)))) {}

    const std::string& index_sha256() const override { return release_.sha256; }
    const std::vector<std::string>& warnings() const override { return release_.warnings; }

    std::optional<SignatureProblem> package_signature_problem(const std::filesystem::path&) const override {
        throw Error::internal("repo " + repository_.id + ": APT packages are checked by the signed Release, not one by one");
    }

    std::vector<UpstreamOffer> index_offers() const override {
        std::vector<UpstreamOffer> offers;
        auto add_bytes = [&](const std::optional<std::string>& bytes, const std::string& name) {
            if (bytes) offers.push_back({"", *bytes, {HashAlgorithm::sha256, sha256_hex(*bytes)}, bytes->size(), name});
        };
        add_bytes(release_.in_release, "InRelease");
        add_bytes(release_.release, "Release");
        add_bytes(release_.release_signature, "Release.gpg");
        for (const auto& selected : select_release_indexes(release_.parsed, repository_.apt, IndexScope::everything, repository_.id))
            offers.push_back({join_url(repository_.feed, release_.directory + selected.entry->path), std::nullopt,
                              {HashAlgorithm::sha256, selected.entry->sha256}, selected.entry->size,
                              selected.entry->path.substr(selected.entry->path.rfind('/') + 1)});
        return offers;
    }

    UpstreamIndexes fetch_indexes(Database& database, const Pool& pool, IndexScope scope, SyncObserver& observer) override {
        UpstreamIndexes result;
        ContentRecorder contents(database);
        Transaction transaction(database);
        const auto keep_bytes = [&](const std::optional<std::string>& bytes, const std::string& name, const std::string& type) {
            if (!bytes) return;
            PoolEntry entry = pool.add_bytes(*bytes, name);
            contents.record(entry, "metadata");
            result.files.push_back({release_.directory + name, type, entry, std::nullopt});
        };
        // The top index first: InRelease when upstream has one.
        keep_bytes(release_.in_release, "InRelease", "inrelease");
        keep_bytes(release_.release, "Release", "release");
        keep_bytes(release_.release_signature, "Release.gpg", "release_signature");

        // A mirror tree serves upstream's indexes, every variant the Release
        // lists. A generated tree (mode filtered) serves its own: it reads one
        // variant of each Packages and Sources index and needs nothing else.
        const bool mirror_tree = repository_.mode == RepositoryMode::mirror;
        const std::vector<SelectedIndex> selected = select_release_indexes(
            release_.parsed, repository_.apt, mirror_tree ? scope : IndexScope::package_lists, repository_.id);
        std::vector<std::optional<PoolEntry>> entries(selected.size());
        const std::filesystem::path download_directory = pool.temp_root() / ("sync-" + repository_.id);
        chantal::create_directories(download_directory);
        // Brings selected[i] for each i of `wanted` into entries[i]: from the
        // pool when it holds that content, else downloaded (one download per
        // content: indexes with equal bytes, empty ones often, share it).
        // A variant upstream does not publish (HTTP 404) stays empty.
        const auto fetch = [&](const std::vector<std::size_t>& wanted) {
            std::vector<DownloadRequest> requests;
            std::map<std::string, std::vector<std::size_t>> requested;  // sha256 -> the indexes that have it
            for (std::size_t i : wanted) {
                const auto& entry = *selected[i].entry;
                if (auto known = contents.find(entry.sha256); known && pool.has_file(known->sha256, known->filename, known->size)) {
                    pool.touch(known->sha256, known->filename);  // spared by a concurrent pool cleanup
                    entries[i] = PoolEntry{{known->sha256, known->filename, known->size},
                                           pool.path_for(known->sha256, known->filename), true};
                    continue;
                }
                auto& sharing = requested[entry.sha256];
                sharing.push_back(i);
                if (sharing.size() > 1) continue;
                DownloadRequest request;
                request.url = join_url(repository_.feed, release_.directory + entry.path);
                request.destination = download_directory / (entry.sha256 + ".part");
                request.expected_size = entry.size;
                request.expected_checksum = ExpectedChecksum{HashAlgorithm::sha256, entry.sha256};
                request.tag = i;
                requests.push_back(std::move(request));
            }
            if (requests.empty()) return;
            observer.stage(repository_.id, "fetching " + std::to_string(requests.size()) + " index files");
            const auto downloads = downloader_.download(requests);
            pool.sync_file_system();  // the downloads are durable before they get final names
            for (const auto& download : downloads) {
                const SelectedIndex& index = selected[download.tag];
                const std::string path = release_.directory + index.entry->path;
                if (!download.ok()) {
                    // The Release lists variants upstream need not publish
                    // (Debian lists uncompressed Packages it does not ship).
                    // (Indexes sharing its bytes are then left out too.)
                    if (download.error->kind() == ErrorKind::not_found) continue;
                    throw Error(download.error->kind(), "repo " + repository_.id + ": " + path + ": " +
                                                            download.error->what() + "; latest is unchanged");
                }
                const auto known = contents.find(download.sha256);
                PoolEntry entry = pool.adopt_verified_file(
                    requests[download.index].destination, download.sha256,
                    known ? known->filename : index.entry->path.substr(index.entry->path.rfind('/') + 1),
                    Pool::Durability::deferred);
                contents.record(entry, "metadata");
                result.bytes_downloaded += download.bytes_transferred;
                ++result.files_downloaded;
                for (std::size_t sharing : requested[index.entry->sha256]) entries[sharing] = entry;
            }
        };
        if (mirror_tree) {
            std::vector<std::size_t> all(selected.size());
            for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
            fetch(all);
        } else {
            // Each index's readable variants, smallest first; round k fetches
            // the k-th of every index that has none yet (the next is tried
            // only when upstream does not publish the one before).
            std::map<std::string, std::vector<std::size_t>> variants;  // group -> indexes into selected
            for (std::size_t i = 0; i < selected.size(); ++i)
                if (read_preference(selected[i].entry->path) >= 0) variants[selected[i].group].push_back(i);
            for (auto& [group, list] : variants)
                std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
                    return read_preference(selected[a].entry->path) < read_preference(selected[b].entry->path);
                });
            for (std::size_t round = 0;; ++round) {
                std::vector<std::size_t> wanted;
                for (const auto& [group, list] : variants) {
                    const bool have = std::any_of(list.begin(), list.end(), [&](std::size_t i) { return entries[i].has_value(); });
                    if (!have && round < list.size()) wanted.push_back(list[round]);
                }
                if (wanted.empty()) break;
                fetch(wanted);
            }
        }
        pool.sync_file_system();  // ... and so are their renames, before the catalogue names them

        std::map<std::string, int> readable_variants;  // group -> variants in the pool that can be read
        const bool by_hash = release_.parsed.acquire_by_hash && repository_.apt.by_hash;
        for (std::size_t i = 0; i < selected.size(); ++i) {
            if (!entries[i]) continue;
            const SelectedIndex& index = selected[i];
            if (read_preference(index.entry->path) >= 0) ++readable_variants[index.group];
            const std::string path = release_.directory + index.entry->path;
            result.files.push_back({path, index.metadata_type, *entries[i], index.open_size});
            if (by_hash) {
                const std::string directory = path.substr(0, path.rfind('/') + 1);
                result.files.push_back({directory + "by-hash/SHA256/" + index.entry->sha256, index.metadata_type + "_by_hash",
                                        *entries[i], index.open_size});
            }
        }
        for (const SelectedIndex& index : selected)
            if ((index.metadata_type == "packages" || index.metadata_type == "sources") && !readable_variants[index.group])
                throw Error::not_found("repo " + repository_.id + ": upstream publishes none of the variants of " +
                                       release_.directory + index.group + " that its Release lists; latest is unchanged");
        transaction.commit();
        return result;
    }

    std::vector<UpstreamPackage> catalogue_packages(Database& database, const UpstreamIndexes& indexes,
                                                    SyncObserver& observer) override {
        // One readable variant per index: the smallest the reader knows.
        std::map<std::string, const UpstreamIndexFile*> chosen;  // group -> file
        for (const auto& file : indexes.files) {
            if (file.metadata_type != "packages" && file.metadata_type != "sources") continue;
            const int preference = read_preference(file.path);
            if (preference < 0) continue;
            std::string group = file.path;
            for (std::string_view suffix : {".xz", ".zst", ".gz", ".bz2"})
                if (group.ends_with(suffix)) group.resize(group.size() - suffix.size());
            auto& slot = chosen[group];
            if (!slot || preference < read_preference(slot->path)) slot = &file;
        }
        observer.stage(repository_.id, "reading " + std::to_string(chosen.size()) + " package indexes");
        AptPackageRecorder recorder(database);
        std::vector<UpstreamPackage> packages;
        for (const auto& [group, file] : chosen) {
            const std::string name = repository_.id + ": " + file->path;
            // "<component>/binary-<arch>/Packages" below the Release; a flat repository has one, "main".
            const std::string below = file->path.substr(release_.directory.size());
            const std::string component = below.find('/') == std::string::npos ? "main" : below.substr(0, below.find('/'));
            if (file->metadata_type == "packages") {
                metadata::PackagesIndexReader reader(name, [&](metadata::DebianPackage& package) {
                    packages.push_back(recorder.record(package, component));
                });
                read_index(*file, name, [&](std::string_view bytes) { reader.feed(bytes); });
                reader.finish();
            } else {
                metadata::SourcesIndexReader reader(name, [&](metadata::DebianSource& source) {
                    for (const auto& source_file : source.files) packages.push_back(recorder.record(source, source_file, component));
                });
                read_index(*file, name, [&](std::string_view bytes) { reader.feed(bytes); });
                reader.finish();
            }
        }
        return packages;
    }

private:
    // Streams the decompressed bytes of a pool file to `consume`; the size
    // must be what the Release lists for the uncompressed index, when it does.
    template <typename Consumer>
    static void read_index(const UpstreamIndexFile& file, const std::string& name, Consumer&& consume) {
        UniqueFd fd(::open(file.pool_entry.path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd) throw Error::io("cannot open " + file.pool_entry.path.string() + " (" + name + ")", errno);
        metadata::FdSource source(fd.get(), name);
        metadata::DecompressingReader input(source, file.open_size.value_or(kMaximumIndexSize));
        std::string buffer(1 << 18, '\0');
        try {
            while (const std::size_t got = input.read(buffer.data(), buffer.size()))
                consume(std::string_view(buffer.data(), got));
        } catch (const Error&) {
            if (file.open_size && input.output_size() > *file.open_size)  // the reader's limit, set from the Release
                throw Error::corrupt(name + ": decompresses to more than the " + std::to_string(*file.open_size) +
                                     " bytes the Release lists for the uncompressed index; latest is unchanged");
            throw;
        }
        if (file.open_size && input.output_size() != *file.open_size)
            throw Error::corrupt(name + ": decompresses to " + std::to_string(input.output_size()) +
                                 " bytes, but the Release lists " + std::to_string(*file.open_size) +
                                 " for the uncompressed index; latest is unchanged");
    }

    Downloader& downloader_;
    const RepositoryConfig& repository_;
    UpstreamRelease release_;
};

}  // namespace

std::unique_ptr<UpstreamFeed> open_apt_feed(Downloader& downloader, const RepositoryConfig& repository,
                                            const UpstreamTrust* trust) {
    return std::make_unique<AptFeed>(downloader, repository, trust);
}

}  // namespace chantal
