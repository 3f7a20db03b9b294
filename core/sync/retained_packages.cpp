#include "core/sync/retained_packages.h"

#include <unordered_set>

#include "core/catalogue/tree_address.h"
#include "core/tree/tree_packages.h"

namespace chantal {

std::size_t add_retained_packages(Database& database, const RepositoryConfig& repository, const PackageFormat& format,
                                  std::vector<UpstreamPackage>& packages) {
    if (repository.retention.policy != RetentionPolicy::keep_all) return 0;
    std::unordered_set<std::int64_t> listed;
    for (const UpstreamPackage& package : packages) listed.insert(package.package_id);
    std::size_t added = 0;
    for (TreePackage& kept : list_tree_packages(database, TreeAddress::repo_latest(repository.id))) {
        if (!listed.insert(kept.package_id).second) continue;
        UpstreamPackage package;
        package.format = &format;
        package.package_id = kept.package_id;
        package.name = std::move(kept.name);
        package.arch = std::move(kept.arch);
        package.epoch = kept.epoch;
        package.version = std::move(kept.version);
        package.release = std::move(kept.release);
        package.checksum_algorithm = HashAlgorithm::sha256;
        package.checksum = std::move(kept.sha256);
        package.size = kept.size;
        package.location = std::move(kept.path);
        package.placement = MirrorPlacement::in_tree;
        package.content_id = kept.content_id;
        packages.push_back(std::move(package));
        ++added;
    }
    return added;
}

}  // namespace chantal
