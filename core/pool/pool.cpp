#include "core/pool/pool.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal {
namespace fs = std::filesystem;

bool is_safe_pool_filename(std::string_view filename) {
    if (filename.empty() || filename.size() > 180 || filename == "." || filename == "..") return false;
    for (unsigned char c : filename)
        if (c == '/' || c < 0x20 || c == 0x7f) return false;
    return true;
}

Pool::Pool(fs::path pool_path, fs::path temp_path)
    : pool_path_(std::move(pool_path)), temp_path_(std::move(temp_path)) {
    chantal::create_directories(pool_path_);
    chantal::create_directories(temp_path_);
}

bool is_pool_name(std::string_view sha256, std::string_view filename) {
    return is_hex_digest(sha256, HashAlgorithm::sha256) && is_safe_pool_filename(filename);
}

fs::path Pool::path_for(std::string_view sha256, std::string_view filename) const {
    if (!is_hex_digest(sha256, HashAlgorithm::sha256))
        throw Error::invalid_input("not a sha256 digest: '" + std::string(sha256.substr(0, 80)) + "'");
    if (!is_safe_pool_filename(filename))
        throw Error::invalid_input("unsafe file name for the pool: '" + std::string(filename.substr(0, 80)) + "'");
    std::string name;
    name.reserve(sha256.size() + 1 + filename.size());
    name.append(sha256).append("_").append(filename);
    return pool_path_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2, 2)) / name;
}

bool Pool::contains(std::string_view sha256, std::string_view filename) const {
    struct stat status {};
    return ::stat(path_for(sha256, filename).c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

bool Pool::has_file(std::string_view sha256, std::string_view filename, std::uint64_t size) const {
    struct stat status {};
    return ::stat(path_for(sha256, filename).c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
           static_cast<std::uint64_t>(status.st_size) == size;
}

namespace {

void make_directory(const fs::path& directory) {
    if (::mkdir(directory.c_str(), 0777) != 0 && errno != EEXIST)
        throw Error::io("cannot create directory " + directory.string(), errno);
}

// The 16-bit number of a pool file's <aa>/<bb> directory, from the first
// four hex digits of its name ("<sha256>_<filename>"); nullopt otherwise.
std::optional<std::size_t> directory_number(const fs::path& final_path) {
    const std::string name = final_path.filename().string();
    if (name.size() < 4) return std::nullopt;
    std::size_t number = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = name[static_cast<std::size_t>(i)];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) return std::nullopt;
        number = number * 16 + static_cast<std::size_t>(digit);
    }
    return number;
}

}  // namespace

void Pool::create_parent_directory(const fs::path& final_path) const {
    const auto number = directory_number(final_path);
    if (number && known_directories_->exists[*number].load(std::memory_order_relaxed)) return;
    // <pool>/<aa>/<bb>/file: the pool root exists (constructor), so at most
    // two levels are missing. Most calls end after the first mkdir (EEXIST).
    const fs::path directory = final_path.parent_path();
    if (::mkdir(directory.c_str(), 0777) != 0 && errno != EEXIST) {
        if (errno != ENOENT) throw Error::io("cannot create directory " + directory.string(), errno);
        make_directory(directory.parent_path());
        make_directory(directory);
    }
    if (number) known_directories_->exists[*number].store(true, std::memory_order_relaxed);
}

void Pool::prepare_directory(std::string_view sha256, std::string_view filename) const {
    create_parent_directory(path_for(sha256, filename));
}

namespace {

// True when the file at an existing final name is not the verified temp's
// content: not a regular file, or another size (same name = same sha256).
bool existing_file_is_damaged(const fs::path& temp, const fs::path& final_path) {
    struct stat existing {};
    struct stat replacement {};
    if (::stat(temp.c_str(), &replacement) != 0) return false;
    if (::lstat(final_path.c_str(), &existing) != 0) return false;
    return !S_ISREG(existing.st_mode) || existing.st_size != replacement.st_size;
}

void rename_over(const fs::path& temp, const fs::path& final_path) {
    if (::rename(temp.c_str(), final_path.c_str()) != 0)
        throw Error::io("cannot move " + temp.string() + " into the pool as " + final_path.string(), errno);
}

}  // namespace

bool Pool::place(const fs::path& temp, const fs::path& final_path, Durability durability) const {
    create_parent_directory(final_path);
    const auto rename_no_replace = [&] {
        return static_cast<int>(
            ::syscall(SYS_renameat2, AT_FDCWD, temp.c_str(), AT_FDCWD, final_path.c_str(), RENAME_NOREPLACE));
    };
    int result = rename_no_replace();
    if (result != 0 && errno == ENOENT && ::access(temp.c_str(), F_OK) == 0) {
        // The directory was removed since we created or met it: make it again.
        if (const auto number = directory_number(final_path)) known_directories_->exists[*number].store(false);
        create_parent_directory(final_path);
        result = rename_no_replace();
    }
    if (result != 0 && errno == EINVAL) {
        // File system without RENAME_NOREPLACE: link() also refuses to replace.
        result = ::link(temp.c_str(), final_path.c_str());
        if (result == 0) ::unlink(temp.c_str());
    }
    int err = result == 0 ? 0 : errno;
    if (err == EEXIST && existing_file_is_damaged(temp, final_path)) {
        rename_over(temp, final_path);
        err = 0;
    }
    if (err == 0) {
        if (durability == Durability::immediate) fsync_directory(final_path.parent_path());
        return true;
    }
    if (err == EEXIST) {
        ::unlink(temp.c_str());
        return false;
    }
    if (err == EXDEV)
        throw Error(ErrorKind::io,
                    "storage.temp_path " + temp_path_.string() + " and storage.pool_path " + pool_path_.string() +
                        " must be on the same file system",
                    err);
    throw Error::io("cannot move " + temp.string() + " into the pool as " + final_path.string(), err);
}

PoolWriter::PoolWriter(const Pool& pool, std::string filename)
    : pool_(&pool), filename_(std::move(filename)), hasher_(HashAlgorithm::sha256) {
    if (!is_safe_pool_filename(filename_))
        throw Error::invalid_input("unsafe file name for the pool: '" + filename_.substr(0, 80) + "'");
    std::string pattern = (pool.temp_root() / "pool-XXXXXX").string();
    int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) throw Error::io("cannot create a temp file in " + pool.temp_root().string(), errno);
    fd_.reset(fd);
    temp_path_ = pattern;
    ::fchmod(fd, 0644);
}

PoolWriter::PoolWriter(PoolWriter&& other) noexcept
    : pool_(other.pool_),
      filename_(std::move(other.filename_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::move(other.fd_)),
      hasher_(std::move(other.hasher_)),
      size_(other.size_),
      committed_(std::exchange(other.committed_, true)) {}

PoolWriter::~PoolWriter() {
    if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void PoolWriter::write(const void* data, std::size_t size) {
    write_all(fd_.get(), data, size, temp_path_.string());
    hasher_.update(data, size);
    size_ += size;
}

PoolEntry PoolWriter::commit(const std::optional<std::string>& expected_sha256) {
    if (::fsync(fd_.get()) != 0) throw Error::io("cannot fsync " + temp_path_.string(), errno);
    fd_.reset();
    PoolEntry entry;
    entry.sha256 = hasher_.hex_digest();
    if (expected_sha256 && *expected_sha256 != entry.sha256)
        throw Error::corrupt("checksum mismatch for " + filename_ + ": expected sha256 " + *expected_sha256 + ", got " +
                             entry.sha256);
    entry.filename = filename_;
    entry.size = size_;
    entry.path = pool_->path_for(entry.sha256, filename_);
    entry.already_present = !pool_->place(temp_path_, entry.path);
    committed_ = true;
    return entry;
}

PoolWriter Pool::writer(std::string filename) const { return PoolWriter(*this, std::move(filename)); }

PoolEntry Pool::add_bytes(std::string_view bytes, std::string filename) const {
    auto sha256 = sha256_hex(bytes);
    if (has_file(sha256, filename, bytes.size()))
        return {{sha256, filename, bytes.size()}, path_for(sha256, filename), true};
    PoolWriter pool_writer = writer(std::move(filename));
    pool_writer.write(bytes);
    return pool_writer.commit();
}

PoolEntry Pool::add_file(const fs::path& source, std::string filename) const {
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + source.string(), errno);
    PoolWriter pool_writer = writer(std::move(filename));
    read_to_end(fd.get(), source.string(), 1 << 20,
                [&](const char* data, std::size_t size) { pool_writer.write(data, size); });
    return pool_writer.commit();
}

// The pool entry a verified file becomes: its size from the file, which is
// made world-readable (the mount's readers and web servers open pool files).
PoolEntry Pool::verified_entry(const fs::path& file, std::string_view sha256, std::string filename) const {
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0) throw Error::io("cannot stat " + file.string(), errno);
    PoolEntry entry;
    entry.sha256 = std::string(sha256);
    entry.filename = std::move(filename);
    entry.size = static_cast<std::uint64_t>(status.st_size);
    entry.path = path_for(entry.sha256, entry.filename);
    if ((status.st_mode & 07777) != 0644) ::chmod(file.c_str(), 0644);
    return entry;
}

PoolEntry Pool::adopt_verified_file(const fs::path& file, std::string_view sha256, std::string filename,
                                    Durability durability) const {
    PoolEntry entry = verified_entry(file, sha256, std::move(filename));
    entry.already_present = !place(file, entry.path, durability);
    return entry;
}

PoolEntry Pool::restore_verified_file(const fs::path& file, std::string_view sha256, std::string filename) const {
    PoolEntry entry = verified_entry(file, sha256, std::move(filename));
    create_parent_directory(entry.path);
    rename_over(file, entry.path);
    fsync_directory(entry.path.parent_path());
    return entry;
}

void Pool::sync_file_system() const {
    UniqueFd fd(::open(pool_path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open pool " + pool_path_.string(), errno);
    if (::syncfs(fd.get()) != 0) throw Error::io("cannot sync the file system of " + pool_path_.string(), errno);
}

void Pool::touch(std::string_view sha256, std::string_view filename) const {
    const fs::path path = path_for(sha256, filename);
    if (::utimensat(AT_FDCWD, path.c_str(), nullptr, 0) != 0) throw Error::io("cannot touch " + path.string(), errno);
}

PoolFileState Pool::verify(std::string_view sha256, std::string_view filename,
                           std::optional<std::uint64_t> expected_size) const {
    const fs::path path = path_for(sha256, filename);
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) return PoolFileState::missing;
    if (expected_size && static_cast<std::uint64_t>(status.st_size) != *expected_size) return PoolFileState::wrong_size;
    return hex_digest_of_file(HashAlgorithm::sha256, path) == sha256 ? PoolFileState::ok
                                                                     : PoolFileState::wrong_checksum;
}

void Pool::for_each_file(const std::function<void(std::string_view, std::string_view, const fs::path&, std::uint64_t,
                                                  std::int64_t)>& visit) const {
    std::error_code error;
    for (fs::recursive_directory_iterator it(pool_path_, error), end; !error && it != end; it.increment(error)) {
        if (it.depth() < 2) continue;
        if (!it->is_regular_file()) continue;
        const std::string name = it->path().filename().string();
        if (name.size() < 66 || name[64] != '_') continue;
        const std::string_view sha256(name.data(), 64);
        if (!is_hex_digest(sha256, HashAlgorithm::sha256)) continue;
        struct stat status {};
        if (::stat(it->path().c_str(), &status) != 0) continue;
        visit(sha256, std::string_view(name).substr(65), it->path(), static_cast<std::uint64_t>(status.st_size),
              status.st_mtime);
    }
    if (error) throw Error::io("cannot walk pool " + pool_path_.string(), error.value());
}

PoolStats Pool::stats() const {
    PoolStats result;
    for_each_file([&](std::string_view, std::string_view, const fs::path&, std::uint64_t size, std::int64_t) {
        ++result.files;
        result.bytes += size;
    });
    return result;
}

}  // namespace chantal
