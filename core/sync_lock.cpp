#include "core/sync_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace chantal {
namespace {

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
        if (same_file(fd_.get(), file)) return;
    }
}

bool file_lock_is_held(const std::filesystem::path& file) {
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0) return false;
    std::ifstream locks("/proc/locks");
    std::string line;
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; blocked waiters
    // ("1: -> FLOCK ...") name the same file and count as well.
    while (std::getline(locks, line)) {
        std::istringstream fields(line);
        std::string field;
        std::string type;
        std::string device_inode;
        fields >> field >> type;
        if (type == "->") fields >> type;
        if (type != "FLOCK") continue;
        fields >> field >> field >> field >> device_inode;  // ADVISORY, WRITE, pid, MAJ:MIN:INODE
        unsigned major_number = 0;
        unsigned minor_number = 0;
        unsigned long long inode = 0;
        if (std::sscanf(device_inode.c_str(), "%x:%x:%llu", &major_number, &minor_number, &inode) != 3) continue;
        if (inode == status.st_ino && major_number == major(status.st_dev) && minor_number == minor(status.st_dev))
            return true;
    }
    return false;
}

}  // namespace chantal
