#include "fs/context.h"
#include "fs/log.h"
#include "fs/ops.h"

namespace chantal::fs {

void op_init(void* userdata, fuse_conn_info* conn) {
    auto& context = *static_cast<Context*>(userdata);
    // Replies to reads come from pool files by splice when passthrough is off.
    for (auto cap : {FUSE_CAP_SPLICE_WRITE, FUSE_CAP_SPLICE_MOVE, FUSE_CAP_READDIRPLUS, FUSE_CAP_ASYNC_READ})
        if (conn->capable & cap) conn->want |= cap;
    // The kernel decides per request: readdirplus when the entries get stat()ed
    // (ls -l, whose stats mark the directory) and for the first chunk, plain
    // readdir otherwise (ls -f, find), where 50k plus entries would make the
    // kernel build 50k inodes nobody asked for.
    if (conn->capable & FUSE_CAP_READDIRPLUS_AUTO) conn->want |= FUSE_CAP_READDIRPLUS_AUTO;
    conn->max_readahead = 1024 * 1024;
    log_line(std::string("mounted ") + context.options.mountpoint + " (catalogue " +
             context.config.database_path.string() + ", pool " + context.pool.root().string() + ")");
    log_line("read mode: " + context.passthrough.negotiate_at_init());
}

fuse_lowlevel_ops make_operations() {
    fuse_lowlevel_ops ops{};
    ops.init = op_init;
    ops.lookup = op_lookup;
    ops.forget = op_forget;
    ops.forget_multi = op_forget_multi;
    ops.getattr = op_getattr;
    ops.statfs = op_statfs;
    ops.opendir = op_opendir;
    ops.readdir = op_readdir;
    ops.readdirplus = op_readdirplus;
    ops.releasedir = op_releasedir;
    ops.open = op_open;
    ops.read = op_read;
    ops.release = op_release;
    set_readonly_operations(ops);
    return ops;
}

}  // namespace chantal::fs
