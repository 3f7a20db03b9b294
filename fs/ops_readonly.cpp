// The mount is read-only: every operation that would change it is EROFS.
// getxattr/listxattr/flush are ENOSYS, which the kernel remembers, so it
// stops asking.
#include <cerrno>

#include "fs/ops.h"

namespace chantal::fs {
namespace {

void erofs(fuse_req_t req) { fuse_reply_err(req, EROFS); }
void enosys(fuse_req_t req) { fuse_reply_err(req, ENOSYS); }

}  // namespace

void set_readonly_operations(fuse_lowlevel_ops& ops) {
    ops.setattr = [](fuse_req_t req, fuse_ino_t, struct stat*, int, fuse_file_info*) { erofs(req); };
    ops.mknod = [](fuse_req_t req, fuse_ino_t, const char*, mode_t, dev_t) { erofs(req); };
    ops.mkdir = [](fuse_req_t req, fuse_ino_t, const char*, mode_t) { erofs(req); };
    ops.unlink = [](fuse_req_t req, fuse_ino_t, const char*) { erofs(req); };
    ops.rmdir = [](fuse_req_t req, fuse_ino_t, const char*) { erofs(req); };
    ops.symlink = [](fuse_req_t req, const char*, fuse_ino_t, const char*) { erofs(req); };
    ops.rename = [](fuse_req_t req, fuse_ino_t, const char*, fuse_ino_t, const char*, unsigned) { erofs(req); };
    ops.link = [](fuse_req_t req, fuse_ino_t, fuse_ino_t, const char*) { erofs(req); };
    ops.write = [](fuse_req_t req, fuse_ino_t, const char*, size_t, off_t, fuse_file_info*) { erofs(req); };
    ops.write_buf = [](fuse_req_t req, fuse_ino_t, fuse_bufvec*, off_t, fuse_file_info*) { erofs(req); };
    ops.create = [](fuse_req_t req, fuse_ino_t, const char*, mode_t, fuse_file_info*) { erofs(req); };
    ops.fallocate = [](fuse_req_t req, fuse_ino_t, int, off_t, off_t, fuse_file_info*) { erofs(req); };
    ops.setxattr = [](fuse_req_t req, fuse_ino_t, const char*, const char*, size_t, int) { erofs(req); };
    ops.removexattr = [](fuse_req_t req, fuse_ino_t, const char*) { erofs(req); };
    ops.copy_file_range = [](fuse_req_t req, fuse_ino_t, off_t, fuse_file_info*, fuse_ino_t, off_t, fuse_file_info*,
                             size_t, int) { erofs(req); };
    ops.getxattr = [](fuse_req_t req, fuse_ino_t, const char*, size_t) { enosys(req); };
    ops.listxattr = [](fuse_req_t req, fuse_ino_t, size_t) { enosys(req); };
    ops.flush = [](fuse_req_t req, fuse_ino_t, fuse_file_info*) { enosys(req); };
}

}  // namespace chantal::fs
