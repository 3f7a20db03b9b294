// Atomic replacement of an exported tree.
//
// A new tree is built in a staging directory beside the destination (same
// parent, hence the same file system):
//
//   PARENT/NAME                       the destination, served as it is
//   PARENT/.NAME.chantal-staging      the new tree while it is built
//
// The caller makes the staging tree's contents durable first (export_tree
// fsyncs the directories it made, or syncfs()s once when it copied files);
// commit() then swaps it with the destination in one renameat2(RENAME_EXCHANGE) (a
// plain rename when there is no destination yet): a web server serving
// PARENT/NAME sees the complete old tree until the swap and the complete new
// tree after it, never a missing or half-built one. The old tree, now under
// the staging name, is removed and PARENT is fsynced. On a file system
// without RENAME_EXCHANGE (e.g. NFS) the swap is two renames, with a moment
// without a destination.
//
// While an ExportStaging lives it holds an exclusive flock on PARENT, so two
// exports into the same parent take turns; leftovers of a crashed export
// (a stale staging directory) are removed when the next one starts.
// Destruction without commit() removes the staging directory.
// remove_destination() uses the same lock and the same rename discipline to
// take a tree away.
//
// Thread safety: one thread per object.
#pragma once

#include <filesystem>

#include "core/base/unique_fd.h"

namespace chantal {

class ExportStaging {
public:
    // Creates PARENT if needed, takes the lock and removes stale leftovers.
    // The destination is made absolute; it must name a directory entry
    // (not "/"). Throws Error::io / Error::invalid_input.
    explicit ExportStaging(const std::filesystem::path& destination);
    ~ExportStaging();
    ExportStaging(const ExportStaging&) = delete;
    ExportStaging& operator=(const ExportStaging&) = delete;

    const std::filesystem::path& destination() const { return destination_; }
    // The staging directory (mode 0755), created on first call.
    const std::filesystem::path& directory();
    // Swaps the staging tree into place; true when an old tree was replaced
    // (and removed). Throws Error::io; the destination is then unchanged.
    bool commit();
    // Takes the destination away at once instead (unpublish): renames it
    // aside, fsyncs PARENT, then removes it. A web server sees the complete
    // tree until the rename and none after it. Throws Error::not_found when
    // there is no destination, Error::io otherwise (it is then unchanged).
    void remove_destination();

private:
    std::filesystem::path destination_;
    std::filesystem::path staging_;
    UniqueFd parent_;  // PARENT, flocked
    bool created_ = false;
    bool committed_ = false;
};

// rm -rf; errors are ignored (best effort, for leftovers and old trees).
void remove_tree_quietly(const std::filesystem::path& path);

}  // namespace chantal
