#include "fs/node_resolver.h"

#include <unistd.h>

#include <algorithm>

#include "core/catalogue/lookups.h"
#include "core/tree/tree_files.h"

namespace chantal::fs {
namespace {

Node top(NodeKind kind, std::string path, std::string owner, const Context& context) {
    Node node;
    node.kind = kind;
    node.path = std::move(path);
    node.owner = std::move(owner);
    node.mtime = context.mount_time;
    return node;
}

std::string join(std::string_view parent, std::string_view name) {
    return parent.empty() ? std::string(name) : std::string(parent) + "/" + std::string(name);
}

Node tree_root(const TreeAddress& ref, const TreeHandle& handle) {
    Node node;
    node.kind = NodeKind::tree_dir;
    node.path = ref.path();
    node.tree = ref;
    node.tree_version = handle.state().version;
    node.immutable = !ref.is_latest();
    node.mtime = handle.state().timestamp;
    return node;
}

Node tree_child(const Node& parent, TreeEntry entry) {
    Node node;
    node.kind = entry.directory ? NodeKind::tree_dir : NodeKind::tree_file;
    node.path = join(parent.path, entry.name);
    node.tree = parent.tree;
    node.tree_path = join(parent.tree_path, entry.name);
    node.tree_version = parent.tree_version;
    node.immutable = parent.immutable;
    node.mtime = parent.mtime;
    node.file = std::move(entry.file);
    node.content_id = entry.content_id;
    return node;
}

bool repository_exists(Database& database, std::string_view repo_id) {
    return find_repository_row(database, repo_id).has_value();
}

bool view_exists(Database& database, std::string_view view) { return find_view_row(database, view).has_value(); }

std::optional<Node> tree_root_node(Context& context, Database& database, const TreeAddress& ref) {
    auto handle = context.trees.get(database, ref);
    if (!handle) return std::nullopt;
    return tree_root(ref, *handle);
}

// The handle a node's tree is at now; nullptr when an immutable node's tree
// was replaced (a snapshot deleted and re-created) or vanished.
std::shared_ptr<TreeHandle> handle_for(Context& context, Database& database, const Node& node) {
    auto handle = context.trees.get(database, node.tree);
    if (!handle || (node.immutable && handle->state().version != node.tree_version)) return nullptr;
    return handle;
}

const GeneratedFiles* generated_files_for(Context& context, Database& database, TreeHandle& handle,
                                          std::string_view path, std::shared_ptr<const GeneratedFiles>& keep) {
    if (!needs_generated_files(handle.state(), path)) return nullptr;
    keep = handle.generated_files(database, context.generator);
    return keep.get();
}

// Lookups in a names-only listing (ls -l, find -exec stat after a plain
// readdir) are answered by point queries until this many, then by the full
// listing built once.
constexpr std::uint32_t kRowLookupsBeforeFullListing = 64;

// Listings are cached per directory and tree version: equal versions mean
// equal contents (core/tree/tree.h).
std::string listing_key(const Node& directory, const TreeHandle& handle) {
    return directory.path + '\n' + handle.state().version;
}

// The child `name` of a tree directory read by its own row (no listing), or
// nullopt when the tree has no such entry.
std::optional<Node> child_from_row(Context& context, Database& database, const Node& parent, TreeHandle& handle,
                                   std::string_view name) {
    const std::string tree_path = join(parent.tree_path, name);
    std::shared_ptr<const GeneratedFiles> keep;
    const auto* generated = generated_files_for(context, database, handle, tree_path, keep);
    auto entry = lookup_tree_entry(database, handle.contents(), generated, tree_path);
    if (!entry) return std::nullopt;
    return tree_child(parent, std::move(*entry));
}

std::vector<Node> tree_children(Context& context, Database& database, const Node& directory, TreeHandle& handle,
                                bool& exists) {
    std::vector<Node> children;
    std::shared_ptr<const GeneratedFiles> keep;
    const auto* generated = generated_files_for(context, database, handle, directory.tree_path, keep);
    auto entries = list_tree_directory(database, handle.contents(), generated, directory.tree_path);
    exists = entries.has_value();
    if (!entries) return children;
    children.reserve(entries->size());
    for (auto& entry : *entries) children.push_back(tree_child(directory, std::move(entry)));
    return children;  // list_tree_directory sorts by name
}

}  // namespace

std::string node_name(const Node& node) {
    const auto slash = node.path.rfind('/');
    return slash == std::string::npos ? node.path : node.path.substr(slash + 1);
}

std::optional<Node> resolve_child(Context& context, Database& database, const Node& parent, std::string_view name) {
    const std::string path = join(parent.path, name);
    switch (parent.kind) {
        case NodeKind::root:
            if (name == "repos") return top(NodeKind::repos, path, {}, context);
            if (name == "views") return top(NodeKind::views, path, {}, context);
            return std::nullopt;
        case NodeKind::repos:
            if (!repository_exists(database, name)) return std::nullopt;
            return top(NodeKind::repo, path, std::string(name), context);
        case NodeKind::repo:
            if (name == "latest") return tree_root_node(context, database, TreeAddress::repo_latest(parent.owner));
            if (name == "snapshots") return top(NodeKind::repo_snapshots, path, parent.owner, context);
            return std::nullopt;
        case NodeKind::repo_snapshots:
            return tree_root_node(context, database, TreeAddress::repo_snapshot(parent.owner, std::string(name)));
        case NodeKind::views:
            if (!view_exists(database, name)) return std::nullopt;
            return top(NodeKind::view, path, std::string(name), context);
        case NodeKind::view:
            if (name == "latest") return tree_root_node(context, database, TreeAddress::view_latest(parent.owner));
            if (name == "snapshots") return top(NodeKind::view_snapshots, path, parent.owner, context);
            return std::nullopt;
        case NodeKind::view_snapshots:
            return tree_root_node(context, database, TreeAddress::view_snapshot(parent.owner, std::string(name)));
        case NodeKind::tree_dir: {
            auto handle = handle_for(context, database, parent);
            if (!handle) return std::nullopt;
            auto listing = context.listings.find(listing_key(parent, *handle));
            auto index = listing ? listing->find(name) : std::nullopt;
            if (listing && index && !listing->has_nodes() && listing->count_row_lookup(kRowLookupsBeforeFullListing)) {
                listing = directory_listing(context, database, parent, true);
                if (!listing) return std::nullopt;
            }
            // Listed already: answered from memory (a name missing from the
            // listing is missing from the tree version).
            if (listing && index && listing->has_nodes()) return listing->node(*index);
            // Not listed, or listed by name only: the entry's own row. A
            // `latest` may have moved since its listing was made (the watcher
            // notices within its poll interval), so its rows are asked even
            // for a name its listing lacks: a client that just read the new
            // repomd.xml finds the files it names.
            if (!listing || index || parent.tree.is_latest()) {
                if (auto child = child_from_row(context, database, parent, *handle, name)) return child;
            }
            // A file of a previous state of a moved `latest`, inside the grace period.
            if (parent.tree.is_latest()) {
                if (auto file = context.trees.grace_lookup(database, parent.tree, join(parent.tree_path, name))) {
                    Node retired = tree_child(parent, TreeEntry{std::string(name), false, *file});
                    retired.retired = true;
                    return retired;
                }
            }
            return std::nullopt;
        }
        case NodeKind::tree_file: return std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::vector<Node>> list_children(Context& context, Database& database, const Node& directory) {
    std::vector<Node> children;
    const auto add_top = [&](NodeKind kind, const std::string& name, const std::string& owner) {
        children.push_back(top(kind, join(directory.path, name), owner, context));
    };
    const auto add_root = [&](const TreeAddress& ref) {
        if (auto node = tree_root_node(context, database, ref)) children.push_back(std::move(*node));
    };
    switch (directory.kind) {
        case NodeKind::root:
            add_top(NodeKind::repos, "repos", {});
            add_top(NodeKind::views, "views", {});
            break;
        case NodeKind::repos:
            for (const auto& id : list_repository_ids(database)) add_top(NodeKind::repo, id, id);
            break;
        case NodeKind::repo:
            if (!repository_exists(database, directory.owner)) return std::nullopt;
            add_root(TreeAddress::repo_latest(directory.owner));
            add_top(NodeKind::repo_snapshots, "snapshots", directory.owner);
            break;
        case NodeKind::repo_snapshots:
            for (const auto& name : repository_snapshot_names(database, directory.owner))
                add_root(TreeAddress::repo_snapshot(directory.owner, name));
            break;
        case NodeKind::views:
            for (const auto& name : list_view_names(database)) add_top(NodeKind::view, name, name);
            break;
        case NodeKind::view:
            if (!view_exists(database, directory.owner)) return std::nullopt;
            add_root(TreeAddress::view_latest(directory.owner));
            add_top(NodeKind::view_snapshots, "snapshots", directory.owner);
            break;
        case NodeKind::view_snapshots:
            for (const auto& name : view_snapshot_names(database, directory.owner))
                add_root(TreeAddress::view_snapshot(directory.owner, name));
            break;
        case NodeKind::tree_dir: {
            auto handle = handle_for(context, database, directory);
            if (!handle) return std::nullopt;
            bool exists = false;
            children = tree_children(context, database, directory, *handle, exists);
            if (!exists) return std::nullopt;
            return children;
        }
        case NodeKind::tree_file: return std::nullopt;
    }
    std::vector<std::pair<std::string, Node>> named;
    named.reserve(children.size());
    for (auto& child : children) named.emplace_back(node_name(child), std::move(child));
    std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    children.clear();
    for (auto& [name, child] : named) children.push_back(std::move(child));
    return children;
}

std::shared_ptr<const DirListing> directory_listing(Context& context, Database& database, const Node& directory,
                                                    bool need_nodes) {
    if (directory.kind != NodeKind::tree_dir) {
        auto children = list_children(context, database, directory);
        return children ? DirListing::make(std::move(*children)) : nullptr;
    }
    auto handle = handle_for(context, database, directory);
    if (!handle) return nullptr;
    const auto key = listing_key(directory, *handle);
    if (auto listing = context.listings.find(key); listing && (listing->has_nodes() || !need_nodes)) return listing;
    if (!need_nodes) {
        // Per-thread scratch (dir_listing.h): each FUSE thread reuses its own.
        thread_local NameList names;
        names.clear();
        std::shared_ptr<const GeneratedFiles> keep;
        const auto* generated = generated_files_for(context, database, *handle, directory.tree_path, keep);
        if (!list_tree_names(database, handle->contents(), generated, directory.tree_path,
                             [&](std::string_view name, bool is_directory, std::int64_t content_id,
                                 std::string_view content_sha256) {
                                 names.add(name, is_directory, content_id, content_sha256);
                             }))
            return nullptr;
        auto listing = DirListing::make_names(directory, names);
        context.listings.insert(key, listing);
        return listing;
    }
    bool exists = false;
    auto children = tree_children(context, database, directory, *handle, exists);
    if (!exists) return nullptr;
    auto listing = DirListing::make(std::move(children));
    context.listings.insert(key, listing);
    return listing;
}

std::optional<Node> listed_child(Context& context, Database& database, const Node& directory,
                                 const DirListing& listing, std::size_t index) {
    if (listing.has_nodes()) return listing.node(index);
    const auto name = listing.name(index);
    if (listing.is_directory(index)) return tree_child(directory, TreeEntry{std::string(name), true, {}});
    auto handle = handle_for(context, database, directory);
    if (!handle) return std::nullopt;
    return child_from_row(context, database, directory, *handle, name);
}

struct stat node_attributes(const Context& context, const Node& node, std::uint64_t inode) {
    (void)context;
    struct stat attributes {};
    attributes.st_ino = inode;
    attributes.st_uid = ::getuid();
    attributes.st_gid = ::getgid();
    attributes.st_blksize = 128 * 1024;
    attributes.st_mtim.tv_sec = attributes.st_ctim.tv_sec = attributes.st_atim.tv_sec = node.mtime;
    if (node.is_directory()) {
        attributes.st_mode = S_IFDIR | 0555;
        attributes.st_nlink = 2;
    } else {
        attributes.st_mode = S_IFREG | 0444;
        attributes.st_nlink = 1;
        attributes.st_size = static_cast<off_t>(node.file.size);
        attributes.st_blocks = static_cast<blkcnt_t>((node.file.size + 511) / 512);
    }
    return attributes;
}

double node_timeout(const Node& node) {
    if (!node.in_tree() || node.retired || node.is_latest_root()) return Context::kMutableTimeout;
    return Context::kImmutableTimeout;
}

}  // namespace chantal::fs
