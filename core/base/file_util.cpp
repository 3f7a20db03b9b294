#include "core/base/file_util.h"

#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <random>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace chantal {

void write_all(int fd, const void* data, std::size_t size, const std::string& what) {
    const char* cursor = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t written = ::write(fd, cursor, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            throw Error::io("cannot write " + what, errno);
        }
        cursor += written;
        size -= static_cast<std::size_t>(written);
    }
}

std::size_t read_some(int fd, void* buffer, std::size_t size, const std::string& what) {
    for (;;) {
        const ssize_t got = ::read(fd, buffer, size);
        if (got >= 0) return static_cast<std::size_t>(got);
        if (errno != EINTR) throw Error::io("cannot read " + what, errno);
    }
}

void read_to_end(int fd, const std::string& what, std::size_t chunk_size, const ChunkConsumer& consume) {
    std::vector<char> buffer(chunk_size);
    while (const std::size_t got = read_some(fd, buffer.data(), buffer.size(), what)) consume(buffer.data(), got);
}

std::string read_file(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + path.string(), errno);
    std::string contents;
    read_to_end(fd.get(), path.string(), 1 << 16, [&](const char* data, std::size_t size) { contents.append(data, size); });
    return contents;
}

void fsync_directory(const std::filesystem::path& directory) {
    UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open directory " + directory.string(), errno);
    if (::fsync(fd.get()) != 0) throw Error::io("cannot fsync directory " + directory.string(), errno);
}

void create_directories(const std::filesystem::path& directory) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) throw Error::io("cannot create directory " + directory.string(), error.value());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    std::random_device random;
    auto temp = path;
    temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random());
    {
        UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!fd) throw Error::io("cannot create " + temp.string(), errno);
        try {
            write_all(fd.get(), contents.data(), contents.size(), temp.string());
            if (::fsync(fd.get()) != 0) throw Error::io("cannot fsync " + temp.string(), errno);
        } catch (...) {
            ::unlink(temp.c_str());
            throw;
        }
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        throw Error::io("cannot rename into " + path.string(), err);
    }
    fsync_directory(path.parent_path().empty() ? "." : path.parent_path());
}

std::filesystem::path mount_point_of(const std::filesystem::path& path) {
    std::error_code error;
    const std::filesystem::path start = path.empty() ? std::filesystem::path(".") : path;
    std::filesystem::path current = std::filesystem::weakly_canonical(start, error);  // symlinks resolved
    if (error) current = std::filesystem::absolute(start, error).lexically_normal();
    if (error) return start;
    if (!current.has_filename() && current.has_relative_path()) current = current.parent_path();  // "a/b/" -> "a/b"
    struct stat status {};
    while (::stat(current.c_str(), &status) != 0) {
        if (!current.has_relative_path()) return start;
        current = current.parent_path();
    }
    while (current.has_relative_path()) {
        const std::filesystem::path parent = current.parent_path();
        struct stat parent_status {};
        if (::stat(parent.c_str(), &parent_status) != 0 || parent_status.st_dev != status.st_dev) break;
        current = parent;
    }
    return current;
}

std::int64_t unix_time_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string format_utc_time(std::int64_t unix_time) {
    std::time_t time = static_cast<std::time_t>(unix_time);
    std::tm parts{};
    ::gmtime_r(&time, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

}  // namespace chantal
