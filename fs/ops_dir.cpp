// opendir, readdir, readdirplus, releasedir. A listing is computed once at
// opendir and served from the handle; snapshot listings are also kept in the
// kernel's readdir cache (they never change).
#include <cerrno>
#include <memory>
#include <vector>

#include "fs/node_resolver.h"
#include "fs/ops.h"
#include "fs/request.h"

namespace chantal::fs {
namespace {

struct DirHandle {
    std::vector<Node> children;
};

DirHandle& dir_handle(fuse_file_info* fi) { return *reinterpret_cast<DirHandle*>(fi->fh); }

void reply_listing(fuse_req_t req, size_t size, off_t off, fuse_file_info* fi, bool plus) {
    auto& context = context_of(req);
    auto& handle = dir_handle(fi);
    std::vector<char> buffer(size);
    size_t used = 0;
    for (size_t index = static_cast<size_t>(off); index < handle.children.size(); ++index) {
        const auto& child = handle.children[index];
        const auto name = node_name(child);
        const auto next = static_cast<off_t>(index + 1);
        const auto inode = inode_number(child);
        size_t needed;
        if (plus) {
            fuse_entry_param entry{};
            entry.ino = inode;
            entry.attr = node_attributes(context, child, inode);
            entry.attr_timeout = entry.entry_timeout = node_timeout(child);
            needed = fuse_add_direntry_plus(req, buffer.data() + used, size - used, name.c_str(), &entry, next);
            if (needed > size - used) break;
            context.inodes.remember(child);  // readdirplus entries count as lookups
        } else {
            struct stat attributes {};
            attributes.st_ino = inode;
            attributes.st_mode = child.is_directory() ? S_IFDIR : S_IFREG;
            needed = fuse_add_direntry(req, buffer.data() + used, size - used, name.c_str(), &attributes, next);
            if (needed > size - used) break;
        }
        used += needed;
    }
    fuse_reply_buf(req, buffer.data(), used);
}

}  // namespace

void op_opendir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
    run_request(req, "opendir", [&](Context& context, Database& database) {
        const auto node = context.inodes.find(ino);
        if (!node) return (void)fuse_reply_err(req, ESTALE);
        if (!node->is_directory()) return (void)fuse_reply_err(req, ENOTDIR);
        auto children = list_children(context, database, *node);
        if (!children) return (void)fuse_reply_err(req, ENOENT);
        auto handle = std::make_unique<DirHandle>(DirHandle{std::move(*children)});
        fi->fh = reinterpret_cast<uint64_t>(handle.get());
        fi->cache_readdir = node->immutable;
        fi->keep_cache = node->immutable;
        if (fuse_reply_open(req, fi) == 0) handle.release();
    });
}

void op_readdir(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
    reply_listing(req, size, off, fi, false);
}

void op_readdirplus(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
    reply_listing(req, size, off, fi, true);
}

void op_releasedir(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
    delete reinterpret_cast<DirHandle*>(fi->fh);  // owned since opendir's reply
    fuse_reply_err(req, 0);
}

}  // namespace chantal::fs
