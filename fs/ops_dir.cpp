// opendir, readdir, readdirplus, releasedir.
//
// opendir only checks the directory; the listing (dir_listing.h) is taken at
// the first readdir, from context.listings when the directory was listed
// before, so an opendir whose reads the kernel serves from its own readdir
// cache (snapshots: cache_readdir) costs no catalogue query. Plain readdir
// replies are slices of the listing's packed records (a tree directory's
// listing may hold names only); readdirplus encodes attributes per entry and
// counts each entry as a lookup.
#include <algorithm>
#include <cerrno>
#include <memory>
#include <mutex>
#include <optional>

#include "fs/dir_listing.h"
#include "fs/inode_table.h"
#include "fs/node_resolver.h"
#include "fs/ops.h"
#include "fs/request.h"

namespace chantal::fs {
namespace {

// The kernel's open directory (fi->fh), held by context.handles from
// opendir's reply to releasedir. The kernel may send readdirs of one handle
// concurrently.
struct DirHandle {
    std::shared_ptr<const Node> node;
    std::mutex mutex;  // guards listing
    std::shared_ptr<const DirListing> listing;
};

DirHandle& dir_handle(fuse_file_info* fi) { return OpenHandles::get<DirHandle>(fi->fh); }

// The handle's listing, taken once (a rewind keeps it: POSIX allows either).
// A names-only listing is swapped for the full one of the same tree version
// (same entries, offsets and inode numbers) when readdirplus needs nodes.
std::shared_ptr<const DirListing> listing_of(Context& context, Database& database, DirHandle& handle,
                                             bool need_nodes) {
    std::lock_guard lock(handle.mutex);
    if (!handle.listing || (need_nodes && !handle.listing->has_nodes()))
        handle.listing = directory_listing(context, database, *handle.node, need_nodes);
    return handle.listing;
}

// With READDIRPLUS_AUTO the kernel asks readdirplus for the first chunk of
// every listing, ls -f and find included, and for later chunks only once
// entries were looked up (ls -l). So the first reply from a names-only
// listing is one entry, read by its own row (the kernel asks plain readdir
// for the rest; an entry's row reads a content row, a random page of the
// catalogue when it is cold); later plus chunks take the full listing.
constexpr size_t kFirstPlusEntries = 1;
bool plus_needs_full_listing(off_t off) { return off != 0; }

void reply_plus(fuse_req_t req, Context& context, Database& database, const Node& directory,
                const std::shared_ptr<const DirListing>& listing, size_t size, size_t first) {
    std::unique_ptr<char[]> buffer(new char[size]);
    size_t used = 0;
    const auto end = listing->has_nodes() ? listing->size() : std::min(listing->size(), first + kFirstPlusEntries);
    for (size_t index = first; index < end; ++index) {
        const auto inode = listing->inode(index);
        const std::string name(listing->name(index));
        std::optional<Node> own;  // a names-only listing's child, built here
        if (!listing->has_nodes()) {
            own = listed_child(context, database, directory, *listing, index);
            if (!own) break;  // the tree version is gone: end the listing here
        }
        const Node& child = own ? *own : listing->node(index);
        fuse_entry_param entry{};
        entry.ino = inode;
        entry.generation = inode_generation(child);
        entry.attr = node_attributes(context, child, inode);
        entry.attr_timeout = entry.entry_timeout = node_timeout(child);
        const auto needed = fuse_add_direntry_plus(req, buffer.get() + used, size - used, name.c_str(), &entry,
                                                   static_cast<off_t>(index + 1));
        if (needed > size - used) break;
        // A readdirplus entry counts as a lookup; a listed node shares the listing.
        if (own) context.inodes.remember(std::make_shared<const Node>(std::move(*own)), inode);
        else context.inodes.remember(std::shared_ptr<const Node>(listing, &child), inode);
        used += needed;
    }
    fuse_reply_buf(req, buffer.get(), used);
}

void reply_listing(fuse_req_t req, size_t size, off_t off, fuse_file_info* fi, bool plus) {
    run_request(req, plus ? "readdirplus" : "readdir", [&](Context& context, Database& database) {
        auto& handle = dir_handle(fi);
        const auto listing = listing_of(context, database, handle, plus && plus_needs_full_listing(off));
        if (!listing) return (void)fuse_reply_err(req, ENOENT);
        const auto first = off < 0 ? listing->size() : static_cast<size_t>(off);
        if (plus) return reply_plus(req, context, database, *handle.node, listing, size, first);
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
    // A tree directory node stands for one version of its tree (node.h),
    // whose listing never changes: the kernel keeps it in its page cache.
    fi->cache_readdir = node->kind == NodeKind::tree_dir;
    fi->keep_cache = node->kind == NodeKind::tree_dir;
    auto handle = std::make_unique<DirHandle>();
    handle->node = std::move(node);
    fi->fh = context.handles.adopt(std::move(handle));
    if (fuse_reply_open(req, fi) != 0) context.handles.release(fi->fh);
}

void op_readdir(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
    reply_listing(req, size, off, fi, false);
}

void op_readdirplus(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
    reply_listing(req, size, off, fi, true);
}

void op_releasedir(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
    context_of(req).handles.release(fi->fh);
    fuse_reply_err(req, 0);
}

}  // namespace chantal::fs
