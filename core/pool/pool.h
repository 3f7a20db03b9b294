// Pool: the content-addressed file store.
//
//   <pool_path>/<sha256[0:2]>/<sha256[2:4]>/<sha256>_<filename>
//
// Nothing appears under a final name until its bytes are complete, fsynced
// and hashed: writers stream into a temp file under temp_path (same file
// system), rename it into place without replacing (RENAME_NOREPLACE), and
// fsync the directory. Content already present is not written twice; two
// processes adding the same content both succeed and leave one file.
//
// A name is its content's sha256, so a file already at the final name whose
// size differs from the verified new bytes is damaged: placing the new bytes
// replaces it (rename over, atomic: a reader sees the old file or the new
// one). A damaged file of the right size (found only by hashing, see
// verify()) is replaced with restore_verified_file().
//
// Thread safety: a Pool is immutable after construction and may be shared;
// each PoolWriter belongs to one thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/hash.h"
#include "core/base/unique_fd.h"

namespace chantal {

// A file of the pool: <pool>/<sha256[0:2]>/<sha256[2:4]>/<sha256>_<filename>.
// The one type for a pool file; PoolEntry and ContentRow (content_records.h)
// are a PoolFile with where a store operation put it, or with its catalogue row.
struct PoolFile {
    std::string sha256;
    std::string filename;
    std::uint64_t size = 0;  // bytes
    bool operator==(const PoolFile&) const = default;
};

// A pool file as a store operation left it.
struct PoolEntry : PoolFile {
    std::filesystem::path path;
    bool already_present = false;  // true when the pool had this content before
};

struct PoolStats {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
};

enum class PoolFileState { ok, missing, wrong_size, wrong_checksum };

class Pool;

// Streams one new file into the pool. Destruction without commit() removes
// the temp file. Not copyable.
class PoolWriter {
public:
    PoolWriter(PoolWriter&&) noexcept;
    PoolWriter& operator=(PoolWriter&&) = delete;
    ~PoolWriter();

    void write(const void* data, std::size_t size);
    void write(std::string_view data) { write(data.data(), data.size()); }
    // fsync, hash check (when expected_sha256 is given; throws Error::corrupt
    // on mismatch), rename into place, fsync directory.
    PoolEntry commit(const std::optional<std::string>& expected_sha256 = std::nullopt);

private:
    friend class Pool;
    PoolWriter(const Pool& pool, std::string filename);
    const Pool* pool_;
    std::string filename_;
    std::filesystem::path temp_path_;
    UniqueFd fd_;
    Hasher hasher_;
    std::uint64_t size_ = 0;
    bool committed_ = false;
};

class Pool {
public:
    // Creates both directories if missing.
    Pool(std::filesystem::path pool_path, std::filesystem::path temp_path);

    const std::filesystem::path& root() const noexcept { return pool_path_; }
    const std::filesystem::path& temp_root() const noexcept { return temp_path_; }

    // Where content lives. Throws Error::invalid_input for a malformed sha256
    // or an unsafe filename (see is_safe_pool_filename).
    std::filesystem::path path_for(std::string_view sha256, std::string_view filename) const;
    bool contains(std::string_view sha256, std::string_view filename) const;
    // True when the pool file exists with this size (one stat, no hashing).
    bool has_file(std::string_view sha256, std::string_view filename, std::uint64_t size) const;

    PoolWriter writer(std::string filename) const;
    PoolEntry add_bytes(std::string_view bytes, std::string filename) const;
    // Copies a local file in (streaming, hashing once).
    PoolEntry add_file(const std::filesystem::path& source, std::string filename) const;
    // Moves an already verified, durable file (on the pool's file system,
    // e.g. a finished download under temp_path) into place. sha256 must be
    // the file's true digest: the caller computed it while writing it.
    // Durability::deferred skips the directory fsync: the caller adopts a
    // batch and then calls sync_file_system() once before relying on it.
    enum class Durability { immediate, deferred };
    PoolEntry adopt_verified_file(const std::filesystem::path& file, std::string_view sha256, std::string filename,
                                  Durability durability = Durability::immediate) const;
    // Like adopt_verified_file, but renames over a file already at the final
    // name (atomic): for repairing a pool file whose bytes are damaged. The
    // file must hold exactly the content named by sha256.
    PoolEntry restore_verified_file(const std::filesystem::path& file, std::string_view sha256,
                                    std::string filename) const;
    // Creates the directory that path_for(sha256, filename) lies in, if
    // missing (a mkdir per level, no stat walk). An empty directory is never
    // visible content, so a sync may prepare them before the files exist
    // (e.g. on a helper thread while the downloads run). Thread-safe.
    void prepare_directory(std::string_view sha256, std::string_view filename) const;
    // syncfs() of the pool's file system: every file written and every rename
    // done before it is durable when it returns. One call per batch is far
    // cheaper than an fsync per file.
    void sync_file_system() const;

    // Sets the file's mtime to now. A sync that reuses pooled content touches
    // it, so that `pool cleanup` (which spares files modified within its
    // grace period) cannot remove it before the sync references it.
    void touch(std::string_view sha256, std::string_view filename) const;

    // Re-hashes one file.
    PoolFileState verify(std::string_view sha256, std::string_view filename,
                         std::optional<std::uint64_t> expected_size = std::nullopt) const;
    // Walks the pool: number of files and bytes (temp files excluded).
    PoolStats stats() const;
    // Calls visit(sha256, filename, path, size, mtime) for every pool file.
    void for_each_file(const std::function<void(std::string_view sha256, std::string_view filename,
                                                const std::filesystem::path& path, std::uint64_t size,
                                                std::int64_t modified_unix_time)>& visit) const;

private:
    friend class PoolWriter;
    PoolEntry verified_entry(const std::filesystem::path& file, std::string_view sha256, std::string filename) const;
    // Renames temp to final without replacing; returns false when the final
    // name already existed (temp is then removed). An existing file of
    // another size than temp is damaged and is replaced (returns true).
    bool place(const std::filesystem::path& temp, const std::filesystem::path& final_path,
               Durability durability = Durability::immediate) const;
    // mkdir of final_path's directory (and its parent when that is missing
    // too), unless this pool (or a copy of it) created or met it before.
    void create_parent_directory(const std::filesystem::path& final_path) const;
    // The <aa>/<bb> directories known to exist, indexed by the 16-bit number
    // the four hex digits name; shared by copies, thread-safe. A directory
    // removed behind our back shows as ENOENT in place(), which forgets it.
    struct KnownDirectories {
        std::array<std::atomic<bool>, 1 << 16> exists{};
    };
    std::filesystem::path pool_path_;
    std::filesystem::path temp_path_;
    std::shared_ptr<KnownDirectories> known_directories_ = std::make_shared<KnownDirectories>();
};

// A pool filename is one path component: not empty, not "." or "..", no '/',
// no NUL or control characters, at most 180 bytes.
bool is_safe_pool_filename(std::string_view filename);
// True when (sha256, filename) can name a pool file: a sha256 hex digest and
// a safe pool filename (Pool::path_for throws for anything else).
bool is_pool_name(std::string_view sha256, std::string_view filename);

}  // namespace chantal
