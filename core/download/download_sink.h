// DownloadSink: where the bytes of one transfer go. The transfer logic
// (retries, resume, checksums) only talks to this interface, so it does not
// care whether bytes land in a partial file or in memory.
//
// A sink is used by one transfer at a time, on one thread; not thread-safe.
// All methods except close()/discard() throw chantal::Error on failure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/base/unique_fd.h"

namespace chantal {

class DownloadSink {
public:
    virtual ~DownloadSink() = default;

    // Prepares for writing; returns how many bytes the sink already holds
    // from an earlier (interrupted) transfer, which a resume continues after.
    virtual std::uint64_t open() = 0;
    // Feeds the bytes already held, in order, to consume (used to hash a
    // partial file before resuming). Call after open().
    virtual void read_existing(const std::function<void(const void* data, std::size_t size)>& consume) = 0;
    // Appends size bytes.
    virtual void write(const void* data, std::size_t size) = 0;
    // Drops every byte held (server ignored Range, or a restart from zero).
    virtual void truncate() = 0;
    // The transfer succeeded: make the bytes durable and release resources.
    virtual void commit() = 0;
    // True when commit() never waits for the disk, so the network loop may
    // run it itself instead of handing it to a committer thread.
    virtual bool commit_is_quick() const { return false; }
    // The transfer stopped but may resume later: release resources, keep bytes.
    virtual void close() noexcept = 0;
    // The bytes are bad: release resources and delete them.
    virtual void discard() noexcept = 0;
};

// Writes to a partial file at `path` (created 0644 if missing, its parent
// must exist). commit() fsyncs the file; making the directory entry durable
// is the caller's job (it renames the file into the pool and fsyncs there).
// The file descriptor is open only between open() and commit/close/discard,
// so thousands of queued sinks hold no descriptors.
class FileSink final : public DownloadSink {
public:
    // fsync_on_commit false: commit() only starts the file's writeback
    // (sync_file_range, no waiting) and closes; the caller makes a whole
    // batch durable at once (syncfs) before renaming the files into place,
    // and that syncfs then finds most bytes already on their way to disk.
    // `inspect` (may be empty) is called with the path at the end of commit().
    explicit FileSink(std::filesystem::path path, bool fsync_on_commit = true,
                      std::function<void(const std::filesystem::path&)> inspect = {})
        : path_(std::move(path)), fsync_on_commit_(fsync_on_commit), inspect_(std::move(inspect)) {}
    std::uint64_t open() override;
    void read_existing(const std::function<void(const void*, std::size_t)>& consume) override;
    void write(const void* data, std::size_t size) override;
    void truncate() override;
    void commit() override;
    bool commit_is_quick() const override { return !fsync_on_commit_ && !inspect_; }
    void close() noexcept override;
    void discard() noexcept override;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    bool fsync_on_commit_;
    std::function<void(const std::filesystem::path&)> inspect_;
    UniqueFd fd_;
};

// Collects bytes in memory, refusing more than max_size bytes
// (Error::invalid_input "... larger than N bytes"). Never resumes: open()
// always starts empty.
class MemorySink final : public DownloadSink {
public:
    explicit MemorySink(std::uint64_t max_size) : max_size_(max_size) {}
    std::uint64_t open() override;
    void read_existing(const std::function<void(const void*, std::size_t)>& consume) override;
    void write(const void* data, std::size_t size) override;
    void truncate() override { bytes_.clear(); }
    void commit() override {}
    bool commit_is_quick() const override { return true; }
    void close() noexcept override {}
    void discard() noexcept override { bytes_.clear(); }
    // The collected bytes; valid after commit().
    std::string& bytes() { return bytes_; }

private:
    std::uint64_t max_size_;
    std::string bytes_;
};

}  // namespace chantal
