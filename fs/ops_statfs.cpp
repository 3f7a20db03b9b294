// statfs: what `df` shows for the mount. Block counts are those of the
// pool's file system (statvfs of the pool directory), so `df /srv/mirror`
// tells how full the pool's disk is; the file count is the number of
// content items (pool files) in the catalogue, with none free (the mount is
// read-only). Names are at most 255 bytes, like the pool's.
//
// The count is the watcher's (Context::content_item_count: recounted when
// the catalogue changes, so at most one poll behind it), because statfs is
// frequent (find calls it before walking; monitoring agents poll it) and
// counting reads a whole index of the catalogue.
#include <sys/statvfs.h>

#include <cerrno>

#include "core/base/error.h"
#include "core/catalogue/lookups.h"
#include "fs/ops.h"
#include "fs/request.h"

namespace chantal::fs {

void op_statfs(fuse_req_t req, fuse_ino_t) {
    run_request(req, "statfs", [&](Context& context, Database& database) {
        struct statvfs pool {};
        if (::statvfs(context.pool.root().c_str(), &pool) != 0)
            throw Error(ErrorKind::io, "statfs: pool " + context.pool.root().string(), errno);
        struct statvfs info {};
        info.f_bsize = pool.f_bsize;
        info.f_frsize = pool.f_frsize;
        info.f_blocks = pool.f_blocks;
        info.f_bfree = pool.f_bfree;
        info.f_bavail = pool.f_bavail;
        std::int64_t files = context.content_item_count.load();
        if (files < 0) files = count_content_items(database);
        info.f_files = static_cast<fsfilcnt_t>(files);
        info.f_ffree = 0;
        info.f_favail = 0;
        info.f_namemax = 255;
        info.f_flag = ST_RDONLY;
        fuse_reply_statfs(req, &info);
    });
}

}  // namespace chantal::fs
