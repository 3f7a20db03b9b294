// load_package_metadata(): primary, filelists and other are each parsed on a
// thread of their own (ParseThread); the calling thread does every catalogue
// write, pairing the filelists and other elements with the primary packages
// as they go by, so a new package is written with one INSERT
// holding all three elements (no UPDATE rewriting rows with large blobs).
// Files whose package order differs from primary's still load correctly:
// elements that arrive early wait in a bounded stash, and whatever could not
// be paired is stored by UPDATE once primary is done.
//
// Every file given is parsed to its end, also when all its packages are
// already catalogued with their elements (nothing is stored for those): the
// sync serves these files as they are, so a truncated or malformed one must
// fail the load, not be published because no element of it was needed.
#include "core/sync/rpm/metadata_loader.h"

#include <fcntl.h>

#include <cerrno>
#include <memory>
#include <unordered_map>

#include "core/base/error.h"
#include "core/base/parse_thread.h"
#include "core/base/unique_fd.h"
#include "metadata/rpm/filelists.h"
#include "metadata/rpm/other.h"

namespace chantal {
namespace {

// Pages of 4 KiB the load may keep in SQLite's cache (64 MiB): the pkgid and
// name indexes of a 100k-package repository stay in memory instead of being
// spilled to the WAL and read back for every insert.
constexpr int kLoadCacheKiB = 64 * 1024;
// Elements of filelists/other that may arrive ahead of their primary package.
constexpr std::size_t kStashLimit = 1024;
// Elements read from one file before turning to the other, once primary is
// done: both parse threads stay busy while the rest of both files is read.
constexpr std::size_t kDrainStep = 256;

struct PackageListItem {
    std::string pkgid;  // lowercase hex
    std::string xml;    // the whole <package> element
};

template <typename Reader>
void read_metadata_file(const MetadataFileToLoad& file, Reader&& read) {
    UniqueFd fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + file.path.string() + " (" + file.name + ")", errno);
    metadata::FdSource source(fd.get(), file.name);
    metadata::DecompressingReader input(source, decompression_limit(file.open_size));
    read(input);
}

// Raises the connection's page cache for the load, restores it afterwards.
class LoadCacheSize {
public:
    explicit LoadCacheSize(Database& database)
        : database_(database), previous_(database.query_int64("PRAGMA cache_size")) {
        if (previous_ >= 0 || -previous_ < kLoadCacheKiB)
            database_.execute("PRAGMA cache_size = -" + std::to_string(kLoadCacheKiB));
    }
    ~LoadCacheSize() {
        try {
            database_.execute("PRAGMA cache_size = " + std::to_string(previous_));
        } catch (...) {
        }
    }
    LoadCacheSize(const LoadCacheSize&) = delete;
    LoadCacheSize& operator=(const LoadCacheSize&) = delete;

private:
    Database& database_;
    std::int64_t previous_;
};

// Pairs the elements of one filelists/other file with primary's packages.
// Parsing starts at once (on its own thread, bounded queue) and the whole
// file is always read: drain() reads what pairing left, so a parse error
// surfaces even when no package needed an element of the file.
class ElementPairing {
public:
    using Store = void (PackageRecorder::*)(std::int64_t, std::string_view);

    ElementPairing(const std::optional<MetadataFileToLoad>& file, const metadata::PackageListFormat& format,
                   PackageRecorder& recorder, Store store)
        : file_(file), format_(format), recorder_(recorder), store_(store) {
        if (file_) start();
    }

    bool available() const { return file_.has_value(); }

    // The element of `pkgid` (a package about to be recorded), when the file
    // has it among its next elements.
    std::optional<std::string> take(const std::string& pkgid) {
        if (!stream_) return std::nullopt;
        if (auto it = stash_.find(pkgid); it != stash_.end()) {
            std::string xml = std::move(it->second);
            stash_.erase(it);
            return xml;
        }
        while (!exhausted_ && stash_.size() < kStashLimit) {
            auto item = stream_->next();
            if (!item) {
                exhausted_ = true;
                break;
            }
            if (item->pkgid == pkgid) return std::move(item->xml);
            if (!store_if_needed(*item)) stash_.emplace(std::move(item->pkgid), std::move(item->xml));
        }
        return std::nullopt;
    }

    // The package was recorded; `lacking`: the row still has no element.
    void recorded(const std::string& pkgid, std::int64_t package_id, bool lacking) {
        seen_[pkgid] = lacking ? package_id : 0;
    }

    // After primary: reads up to kDrainStep more elements of the file,
    // storing those that could not be paired on the way (first the stash).
    // Returns false once the file has been read to its end (or there is none);
    // a parse error of the file is thrown from here.
    bool drain() {
        for (auto& [pkgid, xml] : stash_) store_if_needed(PackageListItem{pkgid, std::move(xml)});
        stash_.clear();
        if (!stream_ || exhausted_) return false;
        for (std::size_t i = 0; i < kDrainStep; ++i) {
            auto item = stream_->next();
            if (!item) {
                exhausted_ = true;
                return false;
            }
            store_if_needed(*item);
        }
        return true;
    }

private:
    void start() {
        stream_ = std::make_unique<ParseThread<PackageListItem>>([this](const auto& emit) {
            read_metadata_file(*file_, [&](metadata::DecompressingReader& input) {
                metadata::read_package_list(input, format_, [&](metadata::PackageListEntry& entry) {
                    emit({std::move(entry.pkgid), std::move(entry.xml)});
                });
            });
        });
    }

    // For an element of an already recorded package: stores it when the row
    // lacks it. Returns false for a package primary has not reached yet.
    bool store_if_needed(const PackageListItem& item) {
        auto it = seen_.find(item.pkgid);
        if (it == seen_.end()) return false;
        if (it->second > 0) {
            (recorder_.*store_)(it->second, item.xml);
            it->second = 0;
        }
        return true;
    }

    const std::optional<MetadataFileToLoad>& file_;
    metadata::PackageListFormat format_;
    PackageRecorder& recorder_;
    Store store_;
    std::unique_ptr<ParseThread<PackageListItem>> stream_;
    bool exhausted_ = false;
    std::unordered_map<std::string, std::string> stash_;   // pkgid -> element, primary not there yet
    std::unordered_map<std::string, std::int64_t> seen_;   // recorded pkgid -> package id lacking it, or 0
};

}  // namespace

std::uint64_t decompression_limit(const std::optional<std::uint64_t>& open_size) {
    constexpr std::uint64_t kSlack = 1 << 20;
    constexpr std::uint64_t kCapWithoutDeclaredSize = 16ULL << 30;  // 16 GiB: far beyond any real repo
    return open_size ? *open_size + kSlack : kCapWithoutDeclaredSize;
}

std::vector<CataloguedPackage> load_package_metadata(Database& database, const MetadataFileToLoad& primary,
                                                     const std::optional<MetadataFileToLoad>& filelists,
                                                     const std::optional<MetadataFileToLoad>& other) {
    LoadCacheSize cache_size(database);
    PackageRecorder recorder(database);
    ElementPairing filelists_pairing(filelists, metadata::kFilelistsFormat, recorder, &PackageRecorder::set_filelists);
    ElementPairing other_pairing(other, metadata::kOtherFormat, recorder, &PackageRecorder::set_other);
    std::vector<CataloguedPackage> packages;
    ParseThread<metadata::PrimaryPackage> primary_packages([&primary](const auto& emit) {
        read_metadata_file(primary, [&](metadata::DecompressingReader& input) {
            metadata::read_primary(input, [&](metadata::PrimaryPackage& package) { emit(std::move(package)); });
        });
    });
    while (auto next = primary_packages.next()) {
        const metadata::PrimaryPackage& package = *next;
        std::optional<CataloguedPackage> recorded = recorder.find_catalogued(package);
        const bool is_new = !recorded;
        std::optional<std::string> filelists_xml;
        std::optional<std::string> other_xml;
        if (is_new || recorded->needs_filelists) filelists_xml = filelists_pairing.take(package.checksum);
        if (is_new || recorded->needs_other) other_xml = other_pairing.take(package.checksum);
        if (is_new) {
            recorded = recorder.insert_package(package, filelists_xml, other_xml);
        } else {
            if (recorded->needs_filelists && filelists_xml) {
                recorder.set_filelists(recorded->package_id, *filelists_xml);
                recorded->needs_filelists = false;
            }
            if (recorded->needs_other && other_xml) {
                recorder.set_other(recorded->package_id, *other_xml);
                recorded->needs_other = false;
            }
        }
        if (filelists_pairing.available())
            filelists_pairing.recorded(package.checksum, recorded->package_id, recorded->needs_filelists);
        if (other_pairing.available())
            other_pairing.recorded(package.checksum, recorded->package_id, recorded->needs_other);
        packages.push_back(std::move(*recorded));
    }
    // The rest of filelists and other, alternately, to their ends.
    for (bool filelists_left = true, other_left = true; filelists_left || other_left;) {
        if (filelists_left) filelists_left = filelists_pairing.drain();
        if (other_left) other_left = other_pairing.drain();
    }
    return packages;
}

}  // namespace chantal
