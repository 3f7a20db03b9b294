// What `chantal publish` has put under storage.published_path, and taking
// one of those trees away again (`publish list`, `publish unpublish`).
//
// A published tree is a directory at its tree path under the root
// (repos/ID/latest, repos/ID/snapshots/N, views/V/latest,
// views/V/snapshots/N) that carries the export mark (export_marker.h) of
// that same tree. Only such a directory is listed, and only such a directory
// is ever removed: a directory a person put there, or one whose mark names a
// different tree, is refused.
//
// Thread safety: free functions and value types. unpublish_tree takes the
// lock export_staging.h takes, so it waits for a publish into the same
// parent directory and never removes a half-swapped tree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/catalogue/tree_address.h"
#include "core/export/export_marker.h"

namespace chantal {

struct PublishedTree {
    TreeAddress tree;
    std::filesystem::path directory;  // root / tree.path()
    ExportMarker marker;
    std::int64_t published_at = 0;    // unix seconds: status change of the directory (the publish that swapped it in)
    std::uint64_t bytes = 0;          // apparent size of the tree's files (hardlinks counted at each path)
};

// Every published tree under root, ordered by tree path. A root that does
// not exist has none. Throws Error::io when a directory cannot be read.
std::vector<PublishedTree> list_published_trees(const std::filesystem::path& root);

// Removes root / tree.path() (export_staging.h: renamed aside, then
// removed) and then the directories above it that are left empty
// (snapshots/, ID/, repos/), never root itself. Returns what was removed.
// Throws Error::invalid_input for a name that is not one directory name,
// Error::not_found when nothing is published there, Error::conflict when
// the directory is not that tree as publish made it, Error::io.
PublishedTree unpublish_tree(const std::filesystem::path& root, const TreeAddress& tree);

}  // namespace chantal
