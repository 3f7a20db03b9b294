#include "fs/tree_cache.h"

#include <algorithm>

#include "core/base/file_util.h"
#include "core/tree/package_format.h"
#include "core/tree/retired_files.h"
#include "core/tree/tree_files.h"

namespace chantal::fs {

std::shared_ptr<const GeneratedFiles> TreeHandle::generated_files(Database& database, Generator& generator) {
    std::lock_guard lock(mutex_);
    if (generated_) return generated_;
    const PackageFormat& format = *contents_->state().format;
    const auto digest = format.generated_tree_digest(database, *contents_);
    auto found = format.find_generated_files(database, digest);
    auto generated = std::make_shared<const GeneratedFiles>(found ? std::move(*found)
                                                                  : generator.generate(*contents_, digest));
    for (const auto& file : generated->files) index_files_[file.path] = file.file;
    generated_ = std::move(generated);
    return generated_;
}

std::map<std::string, PoolFile> TreeHandle::index_files() const {
    std::lock_guard lock(mutex_);
    return index_files_;
}

std::shared_ptr<TreeHandle> TreeCache::open(Database& database, const TreeAddress& ref) {
    // One catalogue state for resolving the handle and listing its mirror index files.
    ReadTransaction transaction(database);
    auto state = resolve_tree(database, ref);
    if (!state) return nullptr;
    attach_generation_settings(*state, signing_);
    auto contents = open_tree_contents(database, std::move(*state));
    std::map<std::string, PoolFile> mirror_index_files;
    if (!contents->state().generated) {
        const std::string directory(contents->state().format->index_directory());
        if (auto entries = contents->list(database, directory))
            for (const auto& entry : *entries)
                if (!entry.directory) mirror_index_files[directory + "/" + entry.name] = entry.file;
    }
    return std::make_shared<TreeHandle>(std::move(contents), std::move(mirror_index_files));
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
        retired.push_back({old->index_files(), std::chrono::steady_clock::now() + grace_});
    }
    return fresh;
}

std::optional<PoolFile> TreeCache::grace_lookup(Database& database, const TreeAddress& ref, const std::string& tree_path) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = retired_.find(ref.path()); it != retired_.end()) {
            const auto now = std::chrono::steady_clock::now();
            std::erase_if(it->second, [&](const Retired& retired) { return retired.expires <= now; });
            for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) {
                auto file = r->files.find(tree_path);
                if (file != r->files.end()) return file->second;
            }
        }
    }
    return find_retired_file(database, ref.path(), tree_path, unix_time_now() - grace_.count());
}

}  // namespace chantal::fs
