#include "core/download/download_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal {

std::uint64_t FileSink::open() {
    fd_.reset(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd_) throw Error::io("cannot open " + path_.string(), errno);
    off_t end = ::lseek(fd_.get(), 0, SEEK_END);
    if (end < 0) throw Error::io("cannot seek in " + path_.string(), errno);
    return static_cast<std::uint64_t>(end);
}

void FileSink::read_existing(const std::function<void(const void*, std::size_t)>& consume) {
    std::vector<char> buffer(1 << 20);
    off_t offset = 0;
    for (;;) {
        ssize_t got = ::pread(fd_.get(), buffer.data(), buffer.size(), offset);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw Error::io("cannot read " + path_.string(), errno);
        }
        if (got == 0) break;
        consume(buffer.data(), static_cast<std::size_t>(got));
        offset += got;
    }
}

void FileSink::write(const void* data, std::size_t size) {
    // The descriptor's offset is at the end (open() and truncate() put it there).
    write_all(fd_.get(), data, size, path_.string());
}

void FileSink::truncate() {
    if (::ftruncate(fd_.get(), 0) != 0) throw Error::io("cannot truncate " + path_.string(), errno);
    if (::lseek(fd_.get(), 0, SEEK_SET) < 0) throw Error::io("cannot seek in " + path_.string(), errno);
}

void FileSink::commit() {
    if (fsync_on_commit_) {
        if (::fsync(fd_.get()) != 0) throw Error::io("cannot fsync " + path_.string(), errno);
    } else {
        // A hint only: the caller's syncfs is what makes the bytes durable
        // (and reports any write error), so a failure here changes nothing.
        (void)::sync_file_range(fd_.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
    }
    fd_.reset();
    if (inspect_) inspect_(path_);
}

void FileSink::close() noexcept { fd_.reset(); }

void FileSink::discard() noexcept {
    fd_.reset();
    ::unlink(path_.c_str());
}

std::uint64_t MemorySink::open() {
    bytes_.clear();
    return 0;
}

void MemorySink::read_existing(const std::function<void(const void*, std::size_t)>& consume) {
    if (!bytes_.empty()) consume(bytes_.data(), bytes_.size());
}

void MemorySink::write(const void* data, std::size_t size) {
    if (bytes_.size() + size > max_size_)
        throw Error::invalid_input("larger than the limit of " + std::to_string(max_size_) + " bytes");
    bytes_.append(static_cast<const char*>(data), size);
}

}  // namespace chantal
