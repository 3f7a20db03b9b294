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
    FileLock(const std::filesystem::path& file, const std::string& what);

private:
    UniqueFd fd_;
};

}  // namespace chantal
