// An exclusive, non-blocking lock on a file (flock), released on destruction
// or when the process dies (so kill -9 never leaves a stale lock).
#pragma once

#include <filesystem>
#include <string>

#include "core/unique_fd.h"

namespace chantal {

class FileLock {
public:
    // Throws Error::busy "<what> is already running (lock FILE held by another process)".
    // Holds the lock on the file that FILE names: when the file was replaced
    // or removed between open and flock, the lock is taken again on the new one.
    FileLock(const std::filesystem::path& file, const std::string& what);

private:
    UniqueFd fd_;
};

// True when some process holds an flock on `file` (read from /proc/locks,
// without taking or disturbing the lock). False when the file does not exist.
bool file_lock_is_held(const std::filesystem::path& file);

}  // namespace chantal
