// Each format's upstream feed (open_upstream_feed, package_format.h). Kept
// in the sync layer, apart from the format registry, so that what only a
// sync needs (downloads, index readers) is linked only where a sync can run:
// not into chantalfs.
#include "core/base/error.h"
#include "core/sync/deb/apt_feed.h"
#include "core/sync/rpm/rpm_feed.h"
#include "core/tree/package_format.h"

namespace chantal {

std::unique_ptr<UpstreamFeed> open_upstream_feed(const PackageFormat& format, Downloader& downloader,
                                                 const RepositoryConfig& repository, const UpstreamTrust* trust) {
    if (format.type() == "rpm") return open_rpm_feed(downloader, repository, trust);
    if (format.type() == "apt") return open_apt_feed(downloader, repository, trust);
    throw Error::unsupported("repo " + repository.id + ": type " + std::string(format.type()) +
                             " has no upstream feed reader");
}

}  // namespace chantal
