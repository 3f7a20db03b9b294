// Space kept on the catalogue's file system for recording a failure.
//
// A write to the catalogue in WAL mode appends whole pages (frames) to the
// -wal file, so even an UPDATE that rewrites a row in place needs new disk
// space; on a full file system it fails with SQLITE_FULL. The reserve is a
// file beside the catalogue, <catalogue>-reserve, of kSize bytes allocated
// up front (posix_fallocate). When writing a failure record fails for lack of
// space, the writer releases (deletes) the reserve, which frees kSize bytes on
// exactly the file system that the catalogue, its -wal and -shm live on, and
// writes the record again; afterwards it tries to make the reserve anew.
//
// kSize: a failure record rewrites one table page and one index page at most
// (two frames of page size + 24 bytes, plus the 32-byte WAL header; with
// 32 KiB pages about 64 KiB), and the -shm file may need one more 32 KiB
// region; 1 MiB covers that several times over, for any page size up to 64 KiB.
//
// The reserve is shared by every process using the catalogue; one released
// by a failing sync is made again by the next sync that finds room for it.
// On file systems that cannot allocate ahead (compressing or deduplicating
// ones) the file may hold less real space than its size.
#pragma once

#include <cstdint>
#include <filesystem>

namespace chantal {

class CatalogueReserve {
public:
    static constexpr std::uint64_t kSize = 1024 * 1024;

    explicit CatalogueReserve(const std::filesystem::path& catalogue_file);

    // Makes sure the reserve exists with kSize bytes allocated (written to a
    // temporary name, then renamed, so concurrent callers never see half a
    // reserve). Throws Error (is_no_space()) when the file system has no room
    // for it, Error::io for other failures; nothing is left behind either way.
    void ensure() const;
    // Deletes the reserve, freeing its space. True when there was one.
    bool release() const noexcept;
    // True when the reserve exists with kSize bytes.
    bool present() const noexcept;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path catalogue_file_;
    std::filesystem::path path_;
};

}  // namespace chantal
