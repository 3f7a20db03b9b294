// Placeholder until the shim lands: always plain mount, splice mode.
#include "fs/passthrough.h"

namespace chantal::fs {

int Passthrough::mount(fuse_session* se, const char* mountpoint, bool) { return fuse_session_mount(se, mountpoint); }
bool Passthrough::active() const { return false; }
std::string Passthrough::mode_name() const { return "splice + keep_cache"; }
std::optional<std::int32_t> Passthrough::open_backing(int, std::uint64_t) { return std::nullopt; }
void Passthrough::close_backing(std::int32_t) {}
void Passthrough::on_request(const void*, std::size_t) {}
void Passthrough::on_reply(struct iovec*, int) {}

}  // namespace chantal::fs
