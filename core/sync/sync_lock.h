// The per-repository sync lock: an exclusive, non-blocking lock on
// <temp_path>/sync-<repo>.lock, released on destruction or when the process
// dies (so kill -9 never leaves a stale lock).
//
// A FileLock takes two locks on the file, both tied to its open file
// description and dropped together:
//   - flock(LOCK_EX): the one that excludes a second sync of the repo (what
//     earlier versions and `flock(1)` see);
//   - an open-file-description write lock (fcntl F_OFD_SETLK, whole file):
//     a marker that lock_is_held() can test with F_OFD_GETLK without taking
//     anything, so probing never makes a starting sync fail. (A probe with
//     flock would have to take the lock, even if only for a moment.)
#pragma once

#include <filesystem>
#include <string>

#include "core/base/unique_fd.h"

namespace chantal {

class FileLock {
public:
    // Throws Error::busy "<what> is already running (lock FILE is held)".
    // Holds the locks on the file that FILE names: when the file was replaced
    // or removed between open and flock, they are taken again on the new one.
    FileLock(const std::filesystem::path& file, const std::string& what);

private:
    UniqueFd fd_;
};

// <temp_root>/sync-<repo_id>.lock: the file a sync of repo_id locks.
std::filesystem::path sync_lock_path(const std::filesystem::path& temp_root, const std::string& repo_id);

enum class LockProbe {
    free,     // no FileLock holds the file (or the file does not exist)
    held,     // a FileLock holds it, in this process or another
    unknown,  // the file cannot be examined (permissions, a file system without locks)
};

// Tests, without locking anything, whether a FileLock holds `file`. Sees
// holders in every process and PID namespace on this kernel (and on NFS,
// through the server's locks).
LockProbe lock_is_held(const std::filesystem::path& file);

}  // namespace chantal
