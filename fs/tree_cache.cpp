#include "fs/tree_cache.h"

#include <algorithm>

#include "core/base/file_util.h"
#include "core/tree/retired_files.h"
#include "core/tree/tree_files.h"

namespace chantal::fs {

std::shared_ptr<const GeneratedRepodata> TreeHandle::repodata(Database& database, Generator& generator) {
    std::lock_guard lock(mutex_);
    if (repodata_) return repodata_;
    const auto digest = generated_tree_digest(database, *contents_);
    auto found = find_generated_repodata(database, digest);
    auto repodata = std::make_shared<const GeneratedRepodata>(found ? std::move(*found)
                                                                    : generator.generate(*contents_, digest));
    for (const auto& file : repodata->files) repodata_files_[file.path.substr(sizeof("repodata/") - 1)] = file.file;
    repodata_ = std::move(repodata);
    return repodata_;
}

std::map<std::string, PoolFile> TreeHandle::repodata_files() const {
    std::lock_guard lock(mutex_);
    return repodata_files_;
}

std::shared_ptr<TreeHandle> TreeCache::open(Database& database, const TreeAddress& ref) {
    // One catalogue state for resolving the handle and listing its mirror repodata.
    ReadTransaction transaction(database);
    auto state = resolve_tree(database, ref);
    if (!state) return nullptr;
    auto contents = open_tree_contents(database, std::move(*state));
    std::map<std::string, PoolFile> mirror_repodata;
    if (!contents->state().generated) {
        if (auto entries = contents->list(database, "repodata"))
            for (const auto& entry : *entries)
                if (!entry.directory) mirror_repodata[entry.name] = entry.file;
    }
    return std::make_shared<TreeHandle>(std::move(contents), std::move(mirror_repodata));
}

std::shared_ptr<TreeHandle> TreeCache::get(Database& database, const TreeAddress& ref) {
    const auto key = ref.path();
    const auto generation = generation_.load();
    std::shared_ptr<TreeHandle> old;
    {
        std::lock_guard lock(mutex_);
        auto it = cached_.find(key);
        if (it != cached_.end()) {
            if (it->second.generation == generation) return it->second.handle;
            old = it->second.handle;
        }
    }
    std::shared_ptr<TreeHandle> fresh;
    if (old) {
        // Cheap check first: an unchanged version keeps the handle.
        auto state = resolve_tree(database, ref);
        if (state && state->version == old->state().version) fresh = old;
    }
    if (!fresh) fresh = open(database, ref);
    std::lock_guard lock(mutex_);
    if (!fresh) {
        cached_.erase(key);
    } else {
        cached_[key] = {fresh, generation};
    }
    if (old && old != fresh && ref.is_latest()) {
        auto& retired = retired_[key];
        retired.push_back({old->repodata_files(), std::chrono::steady_clock::now() + grace_});
    }
    return fresh;
}

std::optional<PoolFile> TreeCache::grace_lookup(Database& database, const TreeAddress& ref, const std::string& tree_path) {
    constexpr std::string_view kRepodata = "repodata/";
    if (tree_path.starts_with(kRepodata)) {
        const std::string name = tree_path.substr(kRepodata.size());
        std::lock_guard lock(mutex_);
        if (auto it = retired_.find(ref.path()); it != retired_.end()) {
            const auto now = std::chrono::steady_clock::now();
            std::erase_if(it->second, [&](const Retired& retired) { return retired.expires <= now; });
            for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) {
                auto file = r->files.find(name);
                if (file != r->files.end()) return file->second;
            }
        }
    }
    return find_retired_file(database, ref.path(), tree_path, unix_time_now() - grace_.count());
}

}  // namespace chantal::fs
