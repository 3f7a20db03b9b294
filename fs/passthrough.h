// FUSE passthrough for package reads (kernel >= 6.9): the kernel reads the
// pool file itself, as fast as a local read. libfuse >= 3.17 has an API for
// it; Debian bookworm's 3.14 does not, so this is a small shim over
// fuse_session_custom_io() (see passthrough.cpp for the protocol details).
//
// Modes (logged at start):
//  - passthrough: INIT negotiated FUSE_PASSTHROUGH; opens register the pool
//    file with FUSE_DEV_IOC_BACKING_OPEN and the OPEN reply carries its
//    backing id and FOPEN_PASSTHROUGH;
//  - splice: the fallback (kernel or privileges refuse, or -o nopassthrough):
//    reads are answered with splice from the pool file, keep_cache on.
//
// Thread safety: every member may be called from any thread; mutex_ is a
// leaf lock.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "fs/fuse_api.h"

namespace chantal::fs {

class Passthrough {
public:
    // Mounts `se` at `mountpoint`: through the shim when `wanted`, else plainly
    // (fuse_session_mount). Returns 0 or -1 like fuse_session_mount.
    int mount(fuse_session* se, const char* mountpoint, bool wanted);

    // True once the kernel accepted passthrough in INIT.
    bool active() const;
    std::string mode_name() const;

    // Registers an open file for passthrough; returns its backing id or
    // nullopt (then the caller serves reads itself). `fh` is the value the
    // OPEN reply will carry.
    std::optional<std::int32_t> open_backing(int fd, std::uint64_t fh);
    void close_backing(std::int32_t backing_id);

    // The shim's hooks (called by the custom io callbacks).
    void on_request(const void* buffer, std::size_t size);
    void on_reply(struct iovec* iov, int count);

private:
    int device_fd_ = -1;
    bool shim_ = false;
    mutable std::mutex mutex_;  // leaf: guards everything below
    bool active_ = false;
    bool init_refused_logged_ = false;
    std::unordered_map<std::uint64_t, std::uint32_t> pending_opcodes_;  // unique -> opcode (INIT, OPEN)
    std::unordered_map<std::uint64_t, std::int32_t> backing_by_fh_;     // fh -> backing id, until the OPEN reply
};

}  // namespace chantal::fs
