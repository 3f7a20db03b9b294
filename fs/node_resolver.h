// Maps the mount's paths to nodes: the top-level layout from the catalogue
// and everything below a tree root through the tree model (core/tree/tree.h,
// core/tree/tree_files.h). Attributes of a node. No FUSE replies here.
#pragma once

#include <sys/stat.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fs/context.h"
#include "fs/dir_listing.h"
#include "fs/node.h"

namespace chantal::fs {

// The child `name` of directory `parent`; nullopt when there is none.
std::optional<Node> resolve_child(Context& context, Database& database, const Node& parent, std::string_view name);
// The children of a directory, sorted by name; nullopt when it vanished.
std::optional<std::vector<Node>> list_children(Context& context, Database& database, const Node& directory);
// The same as a shared listing. Tree directories are listed once per tree
// version and kept in context.listings; the top-level layout (small, and
// changed by the CLI at any time) is listed afresh. nullptr when it vanished.
// Unless `need_nodes`, a snapshot directory's listing may be names only
// (DirListing::make_names: no content rows read); with it, a full listing
// (built now and replacing a names-only one in the cache when needed).
std::shared_ptr<const DirListing> directory_listing(Context& context, Database& database, const Node& directory,
                                                    bool need_nodes);
// Child `index` of `listing`, the listing of `directory`: the listing's own
// node, or for a names-only listing one built from the entry's row (one
// point query). nullopt when the tree version is gone.
std::optional<Node> listed_child(Context& context, Database& database, const Node& directory,
                                 const DirListing& listing, std::size_t index);
// stat(2) attributes of a node with inode number `inode`.
struct stat node_attributes(const Context& context, const Node& node, std::uint64_t inode);
// Kernel cache lifetime for a node's entry and attributes.
double node_timeout(const Node& node);
// The last path component of a node ("" for the root).
std::string node_name(const Node& node);

}  // namespace chantal::fs
