#include "core/sync_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

#include "core/error.h"

namespace chantal {

FileLock::FileLock(const std::filesystem::path& file, const std::string& what)
    : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (!fd_) throw Error::io("cannot open lock file " + file.string(), errno);
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) throw Error::busy(what + " is already running (lock " + file.string() + " is held)");
        throw Error::io("cannot lock " + file.string(), errno);
    }
}

}  // namespace chantal
