// FUSE passthrough for package reads (kernel >= 6.9): the kernel reads the
// pool file itself, as fast as a local read. libfuse >= 3.17 has an API for
// it; Debian bookworm's 3.14 does not, so this is a small shim over
// fuse_session_custom_io(): after a normal fuse_session_mount() the session's
// /dev/fuse reads and writes go through two hooks that
//  - remember the `unique` of INIT and OPEN requests (on_request), and
//  - patch their replies (on_reply): INIT gets FUSE_INIT_EXT, FUSE_PASSTHROUGH
//    (flags2 bit 5) and max_stack_depth = 1 when the kernel offered it; an
//    OPEN whose fh was registered with open_backing() gets FOPEN_PASSTHROUGH
//    and the backing id.
// Backing ids (FUSE_DEV_IOC_BACKING_OPEN, needs CAP_SYS_ADMIN) are kept per
// inode and shared by its concurrent opens, because the kernel wants one
// backing file per inode; the last release closes it.
//
// Modes: "passthrough" when INIT negotiated it, which needs the shim, the
// kernel's offer and CAP_SYS_ADMIN (for the backing files); otherwise
// "splice + keep_cache": reads are spliced from the pool file. op_init logs
// the mode once (negotiate_at_init); should the kernel still refuse a backing
// file later, reads fall back to splice and that is logged once more.
//
// Thread safety: every member may be called from any thread; mutex_ is a
// leaf lock.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "fs/fuse_api.h"

namespace chantal::fs {

// The pieces of the kernel protocol (include/uapi/linux/fuse.h, 7.40) that
// bookworm's headers lack.
namespace fuse_protocol {
inline constexpr std::uint32_t kOpcodeOpen = 14;
inline constexpr std::uint32_t kOpcodeInit = 26;
inline constexpr std::uint32_t kInitExt = 1u << 30;                // flags
inline constexpr std::uint32_t kPassthroughFlags2 = 1u << (37 - 32);  // FUSE_PASSTHROUGH in flags2
inline constexpr std::uint32_t kOpenPassthrough = 1u << 7;         // FOPEN_PASSTHROUGH
inline constexpr std::uint32_t kOpenKeepCache = 1u << 1;           // FOPEN_KEEP_CACHE
inline constexpr std::size_t kInHeaderSize = 40;
inline constexpr std::size_t kOutHeaderSize = 16;
// Offsets inside fuse_init_in / fuse_init_out / fuse_open_out.
inline constexpr std::size_t kInitInFlags = 12, kInitInFlags2 = 16;
inline constexpr std::size_t kInitOutFlags = 12, kInitOutFlags2 = 32, kInitOutMaxStackDepth = 36, kInitOutSize = 64;
inline constexpr std::size_t kOpenOutFh = 0, kOpenOutFlags = 8, kOpenOutBackingId = 12, kOpenOutSize = 16;
}  // namespace fuse_protocol

class Passthrough {
public:
    // Mounts `se` at `mountpoint`, installing the shim when `wanted`.
    // Returns 0 or -1 like fuse_session_mount.
    int mount(fuse_session* se, const char* mountpoint, bool wanted);

    // Decides the read mode during FUSE INIT: called by op_init, after
    // on_request saw the INIT request and before its reply goes out (which
    // on_reply then patches when passthrough was chosen). Returns the mode
    // and why, e.g. "splice + keep_cache (-o nopassthrough)".
    std::string negotiate_at_init();

    bool active() const;
    std::string mode_name() const;

    // For an open of `inode` whose reply will carry `fh`: the inode's backing
    // id (registering `fd` for it first when it has none), or nullopt when
    // passthrough is not active or refused (the caller serves reads itself).
    std::optional<std::int32_t> open_backing(std::uint64_t inode, int fd, std::uint64_t fh);
    // Ends one open of `inode` that got a backing id.
    void release_backing(std::uint64_t inode);

    // The shim's hooks, public for the custom io callbacks and the tests.
    // Called with every request read from /dev/fuse.
    void on_request(const void* buffer, std::size_t size);
    // Called with every reply before it is written; may patch it in place.
    void on_reply(struct iovec* iov, int count);
    // Test seam: replaces the FUSE_DEV_IOC_BACKING_OPEN/CLOSE ioctls (open
    // returns an id or -1 with errno set) and marks the shim installed.
    void use_backing_calls_for_tests(std::function<int(int fd)> open, std::function<void(std::int32_t id)> close) {
        backing_open_ = std::move(open);
        backing_close_ = std::move(close);
        wanted_ = shim_ = may_open_backing_ = true;
    }

private:
    struct Backing {
        std::int32_t id = -1;
        std::uint64_t opens = 0;
    };
    int backing_open(int fd) const;
    void backing_close(std::int32_t id) const;
    // Set by mount() (or the test seam) before the session loop; read-only after.
    int device_fd_ = -1;
    bool wanted_ = false;            // not -o nopassthrough
    bool shim_ = false;              // the custom io hooks are installed
    bool may_open_backing_ = false;  // CAP_SYS_ADMIN in the effective set
    std::function<int(int)> backing_open_;
    std::function<void(std::int32_t)> backing_close_;
    mutable std::mutex mutex_;  // leaf: guards everything below
    bool kernel_offered_ = false;
    bool active_ = false;  // negotiated at INIT
    bool refused_ = false;
    std::unordered_map<std::uint64_t, std::uint32_t> pending_;        // unique -> opcode (INIT, OPEN)
    std::unordered_map<std::uint64_t, std::int32_t> backing_by_fh_;   // fh -> backing id, until the OPEN reply
    std::unordered_map<std::uint64_t, Backing> backing_by_inode_;
};

}  // namespace chantal::fs
