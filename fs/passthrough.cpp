#include "fs/passthrough.h"

#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fs/context.h"
#include "fs/log.h"

namespace chantal::fs {
namespace {

namespace proto = fuse_protocol;

// FUSE_DEV_IOC_BACKING_OPEN / _CLOSE (linux/fuse.h, 6.9).
struct BackingMap {
    std::int32_t fd;
    std::uint32_t flags;
    std::uint64_t padding;
};
constexpr unsigned long kIocBackingOpen = _IOW(229, 1, BackingMap);
constexpr unsigned long kIocBackingClose = _IOW(229, 2, std::uint32_t);

template <typename T>
T load(const void* base, std::size_t offset) {
    T value;
    std::memcpy(&value, static_cast<const char*>(base) + offset, sizeof value);
    return value;
}
template <typename T>
void store(void* base, std::size_t offset, T value) {
    std::memcpy(static_cast<char*>(base) + offset, &value, sizeof value);
}

Passthrough& passthrough_of(void* userdata) { return static_cast<Context*>(userdata)->passthrough; }

ssize_t shim_read(int fd, void* buffer, size_t size, void* userdata) {
    const ssize_t result = ::read(fd, buffer, size);
    if (result > 0) passthrough_of(userdata).on_request(buffer, static_cast<std::size_t>(result));
    return result;
}

ssize_t shim_writev(int fd, struct iovec* iov, int count, void* userdata) {
    passthrough_of(userdata).on_reply(iov, count);
    return ::writev(fd, iov, count);
}

// The kernel registers backing files only for CAP_SYS_ADMIN.
bool has_cap_sys_admin() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (::syscall(SYS_capget, &header, data) != 0) return false;
    return (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))) != 0;
}

}  // namespace

int Passthrough::mount(fuse_session* se, const char* mountpoint, bool wanted) {
    if (fuse_session_mount(se, mountpoint) != 0) return -1;
    wanted_ = wanted;
    if (!wanted) return 0;
    may_open_backing_ = has_cap_sys_admin();
    device_fd_ = fuse_session_fd(se);
    fuse_custom_io io{};
    io.read = shim_read;
    io.writev = shim_writev;
    shim_ = fuse_session_custom_io(se, &io, device_fd_) == 0;
    return 0;
}

std::string Passthrough::negotiate_at_init() {
    std::lock_guard lock(mutex_);
    const char* reason = nullptr;
    if (!wanted_) reason = "-o nopassthrough";
    else if (!shim_) reason = "the passthrough shim could not be installed: fuse_session_custom_io failed";
    else if (!kernel_offered_) reason = "the kernel did not offer FUSE passthrough";
    else if (!may_open_backing_) reason = "FUSE passthrough needs CAP_SYS_ADMIN";
    active_ = reason == nullptr;
    return active_ ? "passthrough negotiated with the kernel" : std::string("splice + keep_cache (") + reason + ")";
}

bool Passthrough::active() const {
    std::lock_guard lock(mutex_);
    return active_ && !refused_;
}

std::string Passthrough::mode_name() const {
    return active() ? "passthrough (kernel reads pool files directly)" : "splice + keep_cache";
}

void Passthrough::on_request(const void* buffer, std::size_t size) {
    if (size < proto::kInHeaderSize) return;
    const auto opcode = load<std::uint32_t>(buffer, 4);
    if (opcode != proto::kOpcodeInit && opcode != proto::kOpcodeOpen) return;
    const auto unique = load<std::uint64_t>(buffer, 8);
    std::lock_guard lock(mutex_);
    if (opcode == proto::kOpcodeInit && size >= proto::kInHeaderSize + proto::kInitInFlags2 + 4) {
        const auto flags = load<std::uint32_t>(buffer, proto::kInHeaderSize + proto::kInitInFlags);
        const auto flags2 = load<std::uint32_t>(buffer, proto::kInHeaderSize + proto::kInitInFlags2);
        kernel_offered_ = (flags & proto::kInitExt) && (flags2 & proto::kPassthroughFlags2);
    }
    pending_[unique] = opcode;
}

void Passthrough::on_reply(struct iovec* iov, int count) {
    if (count < 2 || iov[0].iov_len != proto::kOutHeaderSize) return;
    const auto error = load<std::int32_t>(iov[0].iov_base, 4);
    const auto unique = load<std::uint64_t>(iov[0].iov_base, 8);
    std::unique_lock lock(mutex_);
    auto pending = pending_.find(unique);
    if (pending == pending_.end()) return;
    const auto opcode = pending->second;
    pending_.erase(pending);
    if (error != 0) return;
    if (opcode == proto::kOpcodeInit && iov[1].iov_len >= proto::kInitOutSize) {
        if (!active_) return;
        void* out = iov[1].iov_base;
        store(out, proto::kInitOutFlags, load<std::uint32_t>(out, proto::kInitOutFlags) | proto::kInitExt);
        store(out, proto::kInitOutFlags2, load<std::uint32_t>(out, proto::kInitOutFlags2) | proto::kPassthroughFlags2);
        store<std::uint32_t>(out, proto::kInitOutMaxStackDepth, 1);
        return;
    }
    if (opcode == proto::kOpcodeOpen && iov[1].iov_len >= proto::kOpenOutSize) {
        void* out = iov[1].iov_base;
        auto backing = backing_by_fh_.find(load<std::uint64_t>(out, proto::kOpenOutFh));
        if (backing == backing_by_fh_.end()) return;
        auto flags = load<std::uint32_t>(out, proto::kOpenOutFlags);
        flags = (flags | proto::kOpenPassthrough) & ~proto::kOpenKeepCache;
        store(out, proto::kOpenOutFlags, flags);
        store(out, proto::kOpenOutBackingId, backing->second);
        backing_by_fh_.erase(backing);
    }
}

std::optional<std::int32_t> Passthrough::open_backing(std::uint64_t inode, int fd, std::uint64_t fh) {
    std::unique_lock lock(mutex_);
    if (!shim_ || !active_ || refused_) return std::nullopt;
    auto& backing = backing_by_inode_[inode];
    if (backing.opens == 0) {
        const int id = backing_open(fd);
        if (id < 0) {
            const int err = errno;
            backing_by_inode_.erase(inode);
            if (err == EPERM || err == EOPNOTSUPP || err == ENOTTY || err == EINVAL) {
                refused_ = true;
                lock.unlock();
                log_line(std::string("FUSE passthrough refused for a pool file (FUSE_DEV_IOC_BACKING_OPEN: ") +
                         std::strerror(err) + "): reads use splice + keep_cache from now on");
            }
            return std::nullopt;
        }
        backing.id = id;
    }
    ++backing.opens;
    backing_by_fh_[fh] = backing.id;
    return backing.id;
}

void Passthrough::release_backing(std::uint64_t inode) {
    std::lock_guard lock(mutex_);
    auto it = backing_by_inode_.find(inode);
    if (it == backing_by_inode_.end()) return;
    if (--it->second.opens > 0) return;
    backing_close(it->second.id);
    backing_by_inode_.erase(it);
}

int Passthrough::backing_open(int fd) const {
    if (backing_open_) return backing_open_(fd);
    BackingMap map{fd, 0, 0};
    return ::ioctl(device_fd_, kIocBackingOpen, &map);
}

void Passthrough::backing_close(std::int32_t id) const {
    if (backing_close_) return backing_close_(id);
    auto raw = static_cast<std::uint32_t>(id);
    ::ioctl(device_fd_, kIocBackingClose, &raw);
}

}  // namespace chantal::fs
