// open, read, release. A package or repodata file is its pool file: opened
// read-only at open(), checked against the catalogue's size, then read by the
// kernel directly (passthrough) or spliced from it (fallback). A missing or
// wrong-sized pool file is EIO with a log line naming it, never a crash.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/base/unique_fd.h"
#include "fs/node_resolver.h"
#include "fs/ops.h"
#include "fs/request.h"

namespace chantal::fs {
namespace {

// The kernel's open file (fi->fh), held by context.handles from open's reply
// to release.
struct FileHandle {
    UniqueFd fd;
    std::optional<std::int32_t> backing_id;
};

}  // namespace

void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
    run_request(req, "open", [&](Context& context, Database&) {
        const auto node = context.inodes.find(ino);
        if (!node) return (void)fuse_reply_err(req, ESTALE);
        if (node->is_directory()) return (void)fuse_reply_err(req, EISDIR);
        if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) return (void)fuse_reply_err(req, EROFS);
        const auto path = context.pool.path_for(node->file.sha256, node->file.filename);
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (!fd) {
            const int err = errno;
            log_line("EIO for " + node->path + ": pool file " + path.string() + ": " + std::strerror(err));
            return (void)fuse_reply_err(req, EIO);
        }
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode) ||
            static_cast<std::uint64_t>(info.st_size) != node->file.size) {
            log_line("EIO for " + node->path + ": pool file " + path.string() + " has " +
                     std::to_string(info.st_size) + " bytes, the catalogue says " + std::to_string(node->file.size) +
                     " (corrupt pool; run 'chantal db verify')");
            return (void)fuse_reply_err(req, EIO);
        }
        auto owned = std::make_unique<FileHandle>();
        auto& handle = *owned;
        handle.fd = std::move(fd);
        fi->fh = context.handles.adopt(std::move(owned));
        handle.backing_id = context.passthrough.open_backing(ino, handle.fd.get(), fi->fh);
        fi->keep_cache = handle.backing_id ? 0 : 1;  // the inode number changes with the content
        fi->noflush = 1;
        if (fuse_reply_open(req, fi) != 0) {
            if (handle.backing_id) context.passthrough.release_backing(ino);
            context.handles.release(fi->fh);
        }
    });
}

void op_read(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
    auto& handle = OpenHandles::get<FileHandle>(fi->fh);
    fuse_bufvec buffer = FUSE_BUFVEC_INIT(size);
    buffer.buf[0].flags = static_cast<fuse_buf_flags>(FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK);
    buffer.buf[0].fd = handle.fd.get();
    buffer.buf[0].pos = off;
    fuse_reply_data(req, &buffer, FUSE_BUF_SPLICE_MOVE);
}

void op_release(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
    auto& context = context_of(req);
    if (OpenHandles::get<FileHandle>(fi->fh).backing_id) context.passthrough.release_backing(ino);
    context.handles.release(fi->fh);
    fuse_reply_err(req, 0);
}

}  // namespace chantal::fs
