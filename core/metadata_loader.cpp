#include "core/metadata_loader.h"

#include <fcntl.h>

#include <cerrno>
#include <unordered_map>

#include "core/error.h"
#include "core/unique_fd.h"
#include "metadata/filelists.h"
#include "metadata/other.h"

namespace chantal {
namespace {

template <typename Reader>
void read_metadata_file(const MetadataFileToLoad& file, Reader&& read) {
    UniqueFd fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + file.path.string() + " (" + file.name + ")", errno);
    metadata::FdSource source(fd.get(), file.name);
    metadata::DecompressingReader input(source, decompression_limit(file.open_size));
    read(input);
}

}  // namespace

std::uint64_t decompression_limit(const std::optional<std::uint64_t>& open_size) {
    constexpr std::uint64_t kSlack = 1 << 20;
    constexpr std::uint64_t kCapWithoutDeclaredSize = 16ULL << 30;  // 16 GiB: far beyond any real repo
    return open_size ? *open_size + kSlack : kCapWithoutDeclaredSize;
}

std::vector<CataloguedPackage> load_package_metadata(Database& database, const MetadataFileToLoad& primary,
                                                     const std::optional<MetadataFileToLoad>& filelists,
                                                     const std::optional<MetadataFileToLoad>& other) {
    PackageRecorder recorder(database);
    std::vector<CataloguedPackage> packages;
    // pkgid -> package_id of packages whose filelists / other element the
    // catalogue lacks (new ones, or ones first seen by a primary-only load).
    std::unordered_map<std::string, std::int64_t> needing_filelists;
    std::unordered_map<std::string, std::int64_t> needing_other;
    read_metadata_file(primary, [&](metadata::DecompressingReader& input) {
        metadata::read_primary(input, [&](metadata::PrimaryPackage& package) {
            packages.push_back(recorder.record_primary(package));
            const CataloguedPackage& recorded = packages.back();
            if (recorded.needs_filelists) needing_filelists.emplace(package.checksum, recorded.package_id);
            if (recorded.needs_other) needing_other.emplace(package.checksum, recorded.package_id);
        });
    });
    if (filelists && !needing_filelists.empty())
        read_metadata_file(*filelists, [&](metadata::DecompressingReader& input) {
            metadata::read_filelists(input, [&](metadata::FilelistsPackage& entry) {
                if (auto it = needing_filelists.find(entry.pkgid); it != needing_filelists.end())
                    recorder.set_filelists(it->second, entry.xml);
            });
        });
    if (other && !needing_other.empty())
        read_metadata_file(*other, [&](metadata::DecompressingReader& input) {
            metadata::read_other(input, [&](metadata::OtherPackage& entry) {
                if (auto it = needing_other.find(entry.pkgid); it != needing_other.end()) recorder.set_other(it->second, entry.xml);
            });
        });
    return packages;
}

}  // namespace chantal
