// The handles of open files and directories, which the kernel names by
// fi->fh. Owned here from open's (or opendir's) reply to the matching
// release, so that the handles the kernel never releases are freed with the
// Context: an unmount or an aborted connection can end the session while a
// release is still on its way, or while a process still holds the file.
//
// Thread safety: every member may be called from any thread; mutex_ is a
// leaf lock. A handle is only read through get() between its adopt() and
// its release(), which the kernel orders.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace chantal::fs {

class OpenHandles {
public:
    // Takes the handle; returns the fi->fh value that names it.
    template <class Handle>
    std::uint64_t adopt(std::unique_ptr<Handle> handle) {
        const auto fh = reinterpret_cast<std::uint64_t>(handle.get());
        std::shared_ptr<void> owned(std::move(handle));
        std::lock_guard lock(mutex_);
        handles_.emplace(fh, std::move(owned));
        return fh;
    }

    // The handle fh names; valid until release(fh). No lookup, no lock.
    template <class Handle>
    static Handle& get(std::uint64_t fh) {
        return *reinterpret_cast<Handle*>(fh);
    }

    // Gives up the handle fh names: it is destroyed when the returned
    // pointer goes (empty for an fh this table does not hold).
    std::shared_ptr<void> release(std::uint64_t fh);

    // How many handles are held (for tests).
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::shared_ptr<void>> handles_;
};

}  // namespace chantal::fs
