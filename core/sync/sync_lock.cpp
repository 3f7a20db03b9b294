#include "core/sync/sync_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>

#include "core/base/error.h"

namespace chantal {
namespace {

struct flock whole_file_write_lock() {
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0;  // to the end, however long
    lock.l_pid = 0;  // required by the F_OFD_* commands
    return lock;
}

bool same_file(int fd, const std::filesystem::path& file) {
    struct stat held {};
    struct stat named {};
    if (::fstat(fd, &held) != 0 || ::stat(file.c_str(), &named) != 0) return false;
    return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

FileLock::FileLock(const std::filesystem::path& file, const std::string& what) {
    for (;;) {
        fd_ = UniqueFd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        if (!fd_) throw Error::io("cannot open lock file " + file.string(), errno);
        if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK)
                throw Error::busy(what + " is already running (lock " + file.string() + " is held)");
            throw Error::io("cannot lock " + file.string(), errno);
        }
        if (same_file(fd_.get(), file)) break;
    }
    struct flock marker = whole_file_write_lock();
    if (::fcntl(fd_.get(), F_OFD_SETLK, &marker) != 0) {
        // Only a holder of the flock gets here, so a conflict is a process
        // that holds the marker without the flock: not a FileLock of ours.
        if (errno == EAGAIN || errno == EACCES)
            throw Error::busy(what + " is already running (lock " + file.string() + " is held)");
        throw Error::io("cannot lock " + file.string(), errno);
    }
}

std::filesystem::path sync_lock_path(const std::filesystem::path& temp_root, const std::string& repo_id) {
    return temp_root / ("sync-" + repo_id + ".lock");
}

LockProbe lock_is_held(const std::filesystem::path& file) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) return errno == ENOENT || errno == ENOTDIR ? LockProbe::free : LockProbe::unknown;
    struct flock probe = whole_file_write_lock();
    if (::fcntl(fd.get(), F_OFD_GETLK, &probe) != 0) return LockProbe::unknown;
    return probe.l_type == F_UNLCK ? LockProbe::free : LockProbe::held;
}

}  // namespace chantal
