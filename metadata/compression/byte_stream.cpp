#include "metadata/compression/byte_stream.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal::metadata {

namespace {
constexpr std::size_t kSinkBufferSize = 256 * 1024;
}

std::size_t FdSource::read(void* buffer, std::size_t size) { return read_some(fd_, buffer, size, name_); }

std::size_t MemorySource::read(void* buffer, std::size_t size) {
    std::size_t count = std::min(size, data_.size());
    if (count > 0) std::memcpy(buffer, data_.data(), count);
    data_.remove_prefix(count);
    return count;
}

FdSink::FdSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {
    buffer_.reserve(kSinkBufferSize);
}

FdSink::~FdSink() {
    try {
        flush();
    } catch (...) {
        // Destruction cannot report; callers that care call flush() first.
    }
}

void FdSink::write(const void* data, std::size_t size) {
    if (buffer_.size() + size > kSinkBufferSize) {
        flush();
        if (size >= kSinkBufferSize) {
            write_all(fd_, data, size, name_);
            return;
        }
    }
    buffer_.append(static_cast<const char*>(data), size);
}

void FdSink::flush() {
    if (buffer_.empty()) return;
    try {
        write_all(fd_, buffer_.data(), buffer_.size(), name_);
    } catch (...) {
        buffer_.clear();  // a failed write is reported once, not again on destruction
        throw;
    }
    buffer_.clear();
}

}  // namespace chantal::metadata
