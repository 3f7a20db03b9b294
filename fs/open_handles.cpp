#include "fs/open_handles.h"

namespace chantal::fs {

std::shared_ptr<void> OpenHandles::release(std::uint64_t fh) {
    std::lock_guard lock(mutex_);
    const auto found = handles_.find(fh);
    if (found == handles_.end()) return nullptr;
    auto handle = std::move(found->second);
    handles_.erase(found);
    return handle;
}

std::size_t OpenHandles::size() const {
    std::lock_guard lock(mutex_);
    return handles_.size();
}

}  // namespace chantal::fs
