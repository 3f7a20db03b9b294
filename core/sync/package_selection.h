// The selection stage of a sync: which upstream packages make a repo's new
// latest, whether latest must be a generated tree, and where each selected
// package sits in it. Pure functions over the sync's in-memory packages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/sync/package_filter.h"
#include "core/tree/package_format.h"

namespace chantal {

struct PackageSelection {
    std::vector<UpstreamPackage*> packages;  // into the caller's vector, in index order
    // Filtered repos, and mirrors whose index files or package locations
    // cannot be served at upstream's paths, are generated trees.
    bool generated_tree = false;
    std::vector<std::string> warnings;
};

// Applies the repo's filters and retention bound (mode filtered) at `now`
// (unix seconds); `details` reads catalogue rows for the filters that need
// them. Filters that leave nothing of a non-empty upstream give a warning
// that names each filter in effect. Throws Error::invalid_input naming the
// package when a selected one must not be fetched at all
// (MirrorPlacement::refused). `indexes_leave_tree`: UpstreamIndexes::leaves_tree.
PackageSelection select_packages(const PackageFormat& format, const RepositoryConfig& repository,
                                 std::vector<UpstreamPackage>& packages,
                                 const std::optional<std::string>& indexes_leave_tree,
                                 const PackageDetailsLookup& details, std::int64_t now);

// The path of a selected package in the new latest: upstream's location in
// a mirror tree, the format's placement in a generated one. Throws
// Error::invalid_input for a file name no generated tree can hold.
std::string latest_package_path(const PackageFormat& format, const PackageSelection& selection,
                                const UpstreamPackage& package);

}  // namespace chantal
