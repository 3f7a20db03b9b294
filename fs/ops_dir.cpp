// opendir, readdir, readdirplus, releasedir.
//
// opendir only checks the directory; the listing (dir_listing.h) is taken at
// the first readdir, from context.listings when the directory was listed
// before, so an opendir whose reads the kernel serves from its own readdir
// cache (snapshots: cache_readdir) costs no catalogue query. Plain readdir
// replies are slices of the listing's packed records; readdirplus encodes
// attributes per entry and counts each entry as a lookup.
#include <cerrno>
#include <memory>
#include <mutex>

#include "fs/dir_listing.h"
#include "fs/node_resolver.h"
#include "fs/ops.h"
#include "fs/request.h"

namespace chantal::fs {
namespace {

// Owned by the kernel's open directory (fi->fh) from opendir's reply to
// releasedir. The kernel may send readdirs of one handle concurrently.
struct DirHandle {
    std::shared_ptr<const Node> node;
    std::mutex mutex;  // guards listing
    std::shared_ptr<const DirListing> listing;
};

DirHandle& dir_handle(fuse_file_info* fi) { return *reinterpret_cast<DirHandle*>(fi->fh); }

// The handle's listing, taken once (a rewind keeps it: POSIX allows either).
std::shared_ptr<const DirListing> listing_of(Context& context, Database& database, DirHandle& handle) {
    std::lock_guard lock(handle.mutex);
    if (!handle.listing) handle.listing = directory_listing(context, database, *handle.node);
    return handle.listing;
}

void reply_plus(fuse_req_t req, Context& context, const std::shared_ptr<const DirListing>& listing, size_t size,
                size_t first) {
    std::unique_ptr<char[]> buffer(new char[size]);
    size_t used = 0;
    for (size_t index = first; index < listing->size(); ++index) {
        const auto& child = listing->node(index);
        const auto inode = listing->inode(index);
        const std::string name(listing->name(index));
        fuse_entry_param entry{};
        entry.ino = inode;
        entry.attr = node_attributes(context, child, inode);
        entry.attr_timeout = entry.entry_timeout = node_timeout(child);
        const auto needed = fuse_add_direntry_plus(req, buffer.get() + used, size - used, name.c_str(), &entry,
                                                   static_cast<off_t>(index + 1));
        if (needed > size - used) break;
        // A readdirplus entry counts as a lookup; the node shares the listing.
        context.inodes.remember(std::shared_ptr<const Node>(listing, &child), inode);
        used += needed;
    }
    fuse_reply_buf(req, buffer.get(), used);
}

void reply_listing(fuse_req_t req, size_t size, off_t off, fuse_file_info* fi, bool plus) {
    run_request(req, plus ? "readdirplus" : "readdir", [&](Context& context, Database& database) {
        const auto listing = listing_of(context, database, dir_handle(fi));
        if (!listing) return (void)fuse_reply_err(req, ENOENT);
        const auto first = off < 0 ? listing->size() : static_cast<size_t>(off);
        if (plus) return reply_plus(req, context, listing, size, first);
        const auto records = listing->records(first, size);
        fuse_reply_buf(req, records.data(), records.size());
    });
}

}  // namespace

void op_opendir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
    auto& context = context_of(req);
    auto node = context.inodes.find(ino);
    if (!node) return (void)fuse_reply_err(req, ESTALE);
    if (!node->is_directory()) return (void)fuse_reply_err(req, ENOTDIR);
    auto handle = std::make_unique<DirHandle>();
    handle->node = std::move(node);
    fi->fh = reinterpret_cast<uint64_t>(handle.get());
    // Snapshot listings never change: the kernel keeps them in its page cache.
    fi->cache_readdir = handle->node->immutable;
    fi->keep_cache = handle->node->immutable;
    if (fuse_reply_open(req, fi) == 0) handle.release();
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
