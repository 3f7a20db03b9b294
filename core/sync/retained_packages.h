// retention: keep-all: the packages of a repository's current latest that
// upstream no longer lists join the sync's candidates, so that the
// selection (filters, version bounds) keeps them in the new latest. They
// are in the pool already; one whose pool file is gone is fetched from
// upstream like any other and, upstream having dropped it, fails the sync
// with its name.
#pragma once

#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/tree/package_format.h"

namespace chantal {

// Appends to `packages` (what upstream lists now) every package of the
// repository's latest that is not among them. Returns how many it added.
// Does nothing unless the repository's retention policy is keep-all.
std::size_t add_retained_packages(Database& database, const RepositoryConfig& repository, const PackageFormat& format,
                                  std::vector<UpstreamPackage>& packages);

}  // namespace chantal
