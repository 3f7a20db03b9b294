// Export of a tree (design.md §2) as a static directory: `chantal export`
// and `chantal publish`.
//
// Every file of the tree — packages, upstream repodata of a mirror tree, the
// generated repodata of a generated tree (found or generated through the
// tree model, tree_files.h) — is a hardlink to its pool file, or a copy where
// a hardlink cannot work (link_or_copy.h). So the exported tree has the same
// paths and bytes as the mounted one.
//
// The tree is built beside the destination and swapped into place
// atomically (export_staging.h). When the destination already holds this
// exact tree (same export mark, export_marker.h, and every file present with
// its size), nothing is written: the result says `unchanged`.
//
// A destination that exists must be an empty directory or an earlier export
// (it carries the mark); anything else is refused with Error::conflict, so
// an export never replaces a directory it did not make.
//
// Thread safety: the Database belongs to the calling thread; export_tree
// writes to it only to record generated repodata.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "core/base/file_progress.h"
#include "core/base/link_or_copy.h"
#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/signing/tree_signing_keys.h"
#include "core/tree/tree.h"

namespace chantal {

using ExportProgress = FileProgress;

struct ExportOptions {
    // Called after each file placed (from the calling thread); may be empty.
    std::function<void(const ExportProgress&)> on_progress;
    // The link call (a seam for tests: EMLINK, EXDEV).
    FilePlacer::LinkCall link = FilePlacer::system_link;
    // The keys that sign generated trees (the config's gpg:); null: unsigned.
    TreeSigningKeys* signing = nullptr;
};

struct ExportResult {
    std::string tree;                   // the tree's address path, "views/V/latest"
    std::filesystem::path destination;  // absolute
    bool unchanged = false;             // the destination already held this tree
    bool replaced = false;              // an older export was swapped out
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    PlacementCounts placements;         // zero when unchanged
    std::string digest;                 // export_marker.h
    double seconds = 0;
};

// Exports `tree` to `destination`. Throws Error::not_found when the tree
// does not exist, Error::conflict for a destination that is not an export,
// Error::corrupt for a tree path that would leave the destination,
// Error::io for file-system failures (the destination is then unchanged).
ExportResult export_tree(Database& database, const Pool& pool, const TreeAddress& tree,
                         const std::filesystem::path& destination, const ExportOptions& options = {});

}  // namespace chantal
