// lookup, forget, getattr (statfs: ops_statfs.cpp).
#include <cerrno>

#include "fs/inode_table.h"
#include "fs/node_resolver.h"
#include "fs/ops.h"
#include "fs/request.h"

namespace chantal::fs {

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
    run_request(req, "lookup", [&](Context& context, Database& database) {
        const auto parent_node = context.inodes.find(parent);
        if (!parent_node) return (void)fuse_reply_err(req, ESTALE);
        if (!parent_node->is_directory()) return (void)fuse_reply_err(req, ENOTDIR);
        fuse_entry_param entry{};
        const auto child = resolve_child(context, database, *parent_node, name);
        if (!child) {
            // Negative entry: cached as long as the parent's contents are.
            entry.ino = 0;
            entry.entry_timeout = node_timeout(*parent_node);
            return (void)fuse_reply_entry(req, &entry);
        }
        entry.ino = context.inodes.remember(*child);
        entry.generation = inode_generation(*child);
        entry.attr = node_attributes(context, *child, entry.ino);
        entry.attr_timeout = entry.entry_timeout = node_timeout(*child);
        if (fuse_reply_entry(req, &entry) != 0) context.inodes.forget(entry.ino, 1);
    });
}

void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
    context_of(req).inodes.forget(ino, nlookup);
    fuse_reply_none(req);
}

void op_forget_multi(fuse_req_t req, size_t count, fuse_forget_data* forgets) {
    auto& inodes = context_of(req).inodes;
    for (size_t i = 0; i < count; ++i) inodes.forget(forgets[i].ino, forgets[i].nlookup);
    fuse_reply_none(req);
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
    auto& context = context_of(req);
    const auto node = context.inodes.find(ino);
    if (!node) return (void)fuse_reply_err(req, ESTALE);
    const auto attributes = node_attributes(context, *node, ino);
    fuse_reply_attr(req, &attributes, node_timeout(*node));
}

}  // namespace chantal::fs
