// Small, durable file-system helpers. All throw chantal::Error (kind io)
// naming the path on failure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace chantal {

// Writes all of data to fd, retrying on EINTR and short writes.
// `what` names the file in the error message.
void write_all(int fd, const void* data, std::size_t size, const std::string& what);
// One read(2) from fd's offset, retried on EINTR: the bytes read, 0 at the
// end. `what` names the file in the error message.
std::size_t read_some(int fd, void* buffer, std::size_t size, const std::string& what);
// Reads fd from its offset to the end, `chunk_size` bytes at a time (one
// buffer, reused): the one read loop. consume sees each chunk, valid during
// the call only.
using ChunkConsumer = std::function<void(const char* data, std::size_t size)>;
void read_to_end(int fd, const std::string& what, std::size_t chunk_size, const ChunkConsumer& consume);
// Reads a whole (small) file into memory.
std::string read_file(const std::filesystem::path& path);
// fsync() of a directory, so that a rename or create inside it is durable.
void fsync_directory(const std::filesystem::path& directory);
// mkdir -p; an existing directory is fine.
void create_directories(const std::filesystem::path& directory);
// Writes contents to a temp file beside path, fsyncs, renames over path and
// fsyncs the directory: readers see either the old or the new file.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);
// The mount point of the file system that holds path (or its nearest existing
// ancestor): the topmost ancestor on the same device. Never throws; when
// nothing can be examined it returns path made absolute.
std::filesystem::path mount_point_of(const std::filesystem::path& path);
// Seconds since the epoch (UTC), for catalogue timestamps.
std::int64_t unix_time_now();
// "2026-11-22T10:25:00Z" for a unix time.
std::string format_utc_time(std::int64_t unix_time);

}  // namespace chantal
