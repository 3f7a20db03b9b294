// The trees the daemon has opened, revalidated when the catalogue changes,
// and the grace period of moved `latest` trees.
//
// A TreeHandle is one state of one tree (TreeState::version). Handles are
// revalidated lazily: when the catalogue generation (bumped by the watcher on
// every catalogue change) differs from the handle's, the tree is resolved
// again; an equal version keeps the handle (and its generated index files), a
// new version replaces it. When a `latest` tree moves, the files of the
// replaced state stay findable by path for the grace period, so a client
// that read the old repomd.xml can still fetch the files it names.
//
// Thread safety: every member may be called from any thread.
// Lock order: TreeCache::mutex_ is a leaf (never held while resolving,
// generating or calling out); TreeHandle::mutex -> Generator::mutex_.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/tree/package_format.h"
#include "core/tree/tree.h"
#include "fs/generator.h"

namespace chantal::fs {

class TreeHandle {
public:
    TreeHandle(std::shared_ptr<const TreeContents> contents, std::map<std::string, PoolFile> mirror_index_files)
        : contents_(std::move(contents)), index_files_(std::move(mirror_index_files)) {}

    const TreeContents& contents() const { return *contents_; }
    const TreeState& state() const { return contents_->state(); }
    // The generated index files (generated trees only): found in the
    // catalogue or generated on first call, then kept.
    std::shared_ptr<const GeneratedFiles> generated_files(Database& database, Generator& generator);
    // Tree paths of this state's files in the format's index directory ->
    // pool files (what the grace period keeps): upstream's for mirror
    // trees, generated ones once known.
    std::map<std::string, PoolFile> index_files() const;

private:
    std::shared_ptr<const TreeContents> contents_;
    mutable std::mutex mutex_;  // guards generated_, index_files_; then Generator::mutex_
    std::shared_ptr<const GeneratedFiles> generated_;
    std::map<std::string, PoolFile> index_files_;
};

class TreeCache {
public:
    // `signing` (may be null: every tree unsigned) must outlive the cache.
    TreeCache(std::chrono::seconds grace, TreeSigningKeys* signing) : grace_(grace), signing_(signing) {}

    // The current handle of a tree; nullptr when the tree does not exist.
    std::shared_ptr<TreeHandle> get(Database& database, const TreeAddress& ref);
    // A file of a previous state of a moved `latest` still inside its grace
    // period, by its path in the tree: the files retired in the catalogue
    // (retired_files.h: recorded by the sync in the transaction that moved
    // latest, so there is no gap before this daemon notices the change), or
    // the generated index files of a state this daemon served.
    std::optional<PoolFile> grace_lookup(Database& database, const TreeAddress& ref, const std::string& tree_path);
    // Called by the watcher: the catalogue changed.
    void catalogue_changed() { generation_.fetch_add(1); }
    std::uint64_t generation() const { return generation_.load(); }

private:
    struct Cached {
        std::shared_ptr<TreeHandle> handle;
        std::uint64_t generation = 0;
    };
    struct Retired {
        std::map<std::string, PoolFile> files;
        std::chrono::steady_clock::time_point expires;
    };
    std::shared_ptr<TreeHandle> open(Database& database, const TreeAddress& ref);

    std::chrono::seconds grace_;
    TreeSigningKeys* signing_;
    std::atomic<std::uint64_t> generation_{1};
    std::mutex mutex_;  // leaf: guards cached_, retired_
    std::map<std::string, Cached> cached_;
    std::map<std::string, std::vector<Retired>> retired_;
};

}  // namespace chantal::fs
