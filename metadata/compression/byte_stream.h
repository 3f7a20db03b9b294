// Byte sources and sinks: where the metadata readers take bytes from and
// where the writers put them, so that parsing and generation do not care
// whether the bytes live in a file, a pipe or memory.
//
// None of these types is thread-safe; each is used by one thread at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chantal::metadata {

// A sequential source of bytes.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes into `buffer`; returns how many were read,
    // 0 only at the end of the data. Throws chantal::Error on failure.
    virtual std::size_t read(void* buffer, std::size_t size) = 0;
    // Names the data in error messages (a file name, "primary.xml.gz", ...).
    virtual const std::string& name() const = 0;
};

// Reads from a file descriptor it does not own (the caller keeps it open
// for the source's lifetime). Retries on EINTR.
class FdSource : public ByteSource {
public:
    FdSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    std::size_t read(void* buffer, std::size_t size) override;
    const std::string& name() const override { return name_; }

private:
    int fd_;
    std::string name_;
};

// Reads from memory the caller owns and keeps alive for the source's lifetime.
class MemorySource : public ByteSource {
public:
    MemorySource(std::string_view data, std::string name) : data_(data), name_(std::move(name)) {}
    std::size_t read(void* buffer, std::size_t size) override;
    const std::string& name() const override { return name_; }

private:
    std::string_view data_;
    std::string name_;
};

// A sequential destination of bytes.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    // Consumes all `size` bytes or throws chantal::Error.
    virtual void write(const void* data, std::size_t size) = 0;
    void write(std::string_view text) { write(text.data(), text.size()); }
};

// Appends to a std::string the caller owns.
class StringSink : public ByteSink {
public:
    explicit StringSink(std::string& target) : target_(target) {}
    void write(const void* data, std::size_t size) override {
        target_.append(static_cast<const char*>(data), size);
    }
    using ByteSink::write;

private:
    std::string& target_;
};

// Writes to a file descriptor it does not own, through a 256 KiB buffer.
// flush() (or destruction, which swallows errors) pushes buffered bytes out;
// call flush() explicitly to see write errors. `name` is used in errors.
class FdSink : public ByteSink {
public:
    FdSink(int fd, std::string name);
    ~FdSink() override;
    FdSink(const FdSink&) = delete;
    FdSink& operator=(const FdSink&) = delete;
    void write(const void* data, std::size_t size) override;
    using ByteSink::write;
    void flush();

private:
    int fd_;
    std::string name_;
    std::string buffer_;
};

}  // namespace chantal::metadata
