#include "core/catalogue/catalogue_reserve.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"

namespace chantal {

CatalogueReserve::CatalogueReserve(const std::filesystem::path& catalogue_file)
    : catalogue_file_(catalogue_file), path_(catalogue_file.string() + "-reserve") {}

bool CatalogueReserve::present() const noexcept {
    struct stat status {};
    if (::stat(path_.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return false;
    return static_cast<std::uint64_t>(status.st_size) == kSize;
}

void CatalogueReserve::ensure() const {
    if (present()) return;
    const std::filesystem::path partial = path_.string() + ".partial-" + std::to_string(::getpid());
    UniqueFd fd(::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) throw Error::io("cannot create the catalogue's space reserve " + partial.string(), errno);
    const int result = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(kSize));
    fd.reset();
    if (result != 0) {
        ::unlink(partial.c_str());
        const std::string mount = mount_point_of(path_.parent_path()).string();
        if (result == ENOSPC || result == EDQUOT)
            throw Error(ErrorKind::io,
                        "catalogue " + catalogue_file_.string() + ": " +
                            (result == EDQUOT ? "disk quota exceeded" : "no space left") +
                            " on the file system mounted at " + mount + " (" + std::to_string(kSize / 1024) +
                            " KiB are needed for " + path_.string() + ")",
                        result);
        throw Error::io("cannot allocate " + path_.string() + " on the file system mounted at " + mount, result);
    }
    if (::rename(partial.c_str(), path_.c_str()) != 0) {
        const int err = errno;
        ::unlink(partial.c_str());
        throw Error::io("cannot rename " + partial.string() + " to " + path_.string(), err);
    }
}

bool CatalogueReserve::release() const noexcept { return ::unlink(path_.c_str()) == 0; }

}  // namespace chantal
