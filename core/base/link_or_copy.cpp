// Hardlink with copy fallback (link_or_copy.h).
#include "core/base/link_or_copy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"

namespace chantal {
namespace {

// Kernel-side copy; false when the kernel refuses copy_file_range for this
// pair of files before any byte moved (old kernels, some file systems).
bool copy_in_kernel(int in, int out, std::uint64_t size, const std::filesystem::path& destination) {
    std::uint64_t done = 0;
    while (done < size) {
        const ssize_t copied = ::copy_file_range(in, nullptr, out, nullptr, size - done, 0);
        if (copied < 0) {
            if (errno == EINTR) continue;
            if (done == 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP))
                return false;
            throw Error::io("cannot copy into " + destination.string(), errno);
        }
        if (copied == 0) break;  // the source shrank: copy what is there
        done += static_cast<std::uint64_t>(copied);
    }
    return true;
}

void copy_by_reading(int in, int out, const std::filesystem::path& source, const std::filesystem::path& destination) {
    if (::lseek(in, 0, SEEK_SET) < 0 || ::lseek(out, 0, SEEK_SET) < 0 || ::ftruncate(out, 0) != 0)
        throw Error::io("cannot rewind " + destination.string(), errno);
    read_to_end(in, source.string(), 1 << 16,
                [&](const char* data, std::size_t size) { write_all(out, data, size, destination.string()); });
}

}  // namespace

void PlacementCounts::add(Placement placement, std::uint64_t bytes) {
    switch (placement) {
        case Placement::linked: ++linked_files, linked_bytes += bytes; break;
        case Placement::copied_cross_device: ++copied_cross_device_files, copied_cross_device_bytes += bytes; break;
        case Placement::copied_link_limit: ++copied_link_limit_files, copied_link_limit_bytes += bytes; break;
    }
}

int FilePlacer::system_link(const std::filesystem::path& source, const std::filesystem::path& destination) {
    return ::link(source.c_str(), destination.c_str()) == 0 ? 0 : errno;
}

Placement FilePlacer::place(const std::filesystem::path& source, const std::filesystem::path& destination) {
    if (!cross_device_) {
        const int err = link_(source, destination);
        if (err == 0) return Placement::linked;
        if (err == EMLINK) {
            copy_file_contents(source, destination);
            return Placement::copied_link_limit;
        }
        if (err != EXDEV) throw Error::io("cannot link " + source.string() + " to " + destination.string(), err);
        cross_device_ = true;
    }
    copy_file_contents(source, destination);
    return Placement::copied_cross_device;
}

void copy_file_contents(const std::filesystem::path& source, const std::filesystem::path& destination) {
    UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) throw Error::io("cannot open " + source.string(), errno);
    struct stat info {};
    if (::fstat(in.get(), &info) != 0) throw Error::io("cannot stat " + source.string(), errno);
    UniqueFd out(::open(destination.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!out) throw Error::io("cannot create " + destination.string(), errno);
    try {
        if (!copy_in_kernel(in.get(), out.get(), static_cast<std::uint64_t>(info.st_size), destination))
            copy_by_reading(in.get(), out.get(), source, destination);
    } catch (...) {
        ::unlink(destination.c_str());
        throw;
    }
}

}  // namespace chantal
