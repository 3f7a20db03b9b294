// Places a pool file into an exported tree: a hardlink where it can, a copy
// where a hardlink cannot work.
//
//   EXDEV   the destination is on another file system than the pool;
//   EMLINK  the pool file reached its file system's link limit (ext4 stops
//           at 65000 links per file, which many daily exports reach).
//
// Both fall back to a copy (copy_file_range, which reflinks on btrfs/xfs and
// copies in the kernel elsewhere; read/write when even that is refused). Any
// other link failure is an error. Once EXDEV has been seen, later files go
// straight to copies (one pool, one destination: linking cannot start to work).
//
// The link call is a seam: tests inject one that fails with EMLINK.
//
// Thread safety: a FilePlacer is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

namespace chantal {

// How a file came to be in the tree.
enum class Placement { linked, copied_cross_device, copied_link_limit };

// Counters per placement (files and bytes), for the export summary.
struct PlacementCounts {
    std::uint64_t linked_files = 0, linked_bytes = 0;
    std::uint64_t copied_cross_device_files = 0, copied_cross_device_bytes = 0;
    std::uint64_t copied_link_limit_files = 0, copied_link_limit_bytes = 0;

    void add(Placement placement, std::uint64_t bytes);
    std::uint64_t copied_files() const { return copied_cross_device_files + copied_link_limit_files; }
    std::uint64_t copied_bytes() const { return copied_cross_device_bytes + copied_link_limit_bytes; }
};

class FilePlacer {
public:
    // link(source, destination) returns 0 or an errno value (like linkat).
    using LinkCall = std::function<int(const std::filesystem::path& source, const std::filesystem::path& destination)>;

    // The real link(2).
    static int system_link(const std::filesystem::path& source, const std::filesystem::path& destination);

    explicit FilePlacer(LinkCall link = system_link) : link_(std::move(link)) {}

    // Makes `destination` (which must not exist; its directory must) hold the
    // bytes of `source`. Throws Error::io naming the file on any other failure.
    Placement place(const std::filesystem::path& source, const std::filesystem::path& destination);

private:
    LinkCall link_;
    bool cross_device_ = false;
};

// Copies source to a new file destination (mode 0644), with copy_file_range
// and a read/write fallback. The copy is not fsynced (callers sync the whole
// tree once). Throws Error::io; a partial destination is removed.
void copy_file_contents(const std::filesystem::path& source, const std::filesystem::path& destination);

}  // namespace chantal
