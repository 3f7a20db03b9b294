// The tree model (design.md §2): what a repository, a snapshot or a view
// looks like as files. Computed here, once, for the FUSE daemon and for
// export/publish, so that the mounted and the exported tree are the same
// bytes by construction. Never includes FUSE headers.
//
// Which tree: TreeAddress (core/catalogue/tree_address.h).
//
// Two kinds of tree:
//  - mirror (a repo with generated_tree = 0): every row of its membership
//    (upstream index files and packages) at upstream's path, byte for byte;
//  - generated (filtered or fallback repos, every view): the package rows at
//    format's placement ("Packages/<c>/<file>" for rpm) plus the index files
//    the format generates from the packages' stored metadata
//    (package_format.h), never upstream's index files or signatures.
//
// Everything is answered on demand from the catalogue: a repo tree lists a
// directory with range scans over the (owner, path) primary key; a view
// tree materialises its package set (one sorted vector, proportional to the
// view, not to the catalogue) when it is first opened.
//
// Thread safety: a TreeContents is immutable after open_tree() and may be
// shared between threads; every call takes the caller's Database (one
// connection per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_address.h"
#include "core/pool/pool.h"
#include "core/signing/tree_signing_keys.h"

namespace chantal {

class PackageFormat;  // core/tree/package_format.h

struct TreeEntry {
    std::string name;  // one path component
    bool directory = false;
    PoolFile file;     // files only
    // The file's content_items row when the tree's membership names one
    // (repo and repo-snapshot trees); 0 for directories, generated index
    // files and view members.
    std::int64_t content_id = 0;
};

// A tree resolved against the catalogue at one moment.
struct TreeState {
    TreeAddress ref;
    // The tree's format: its repository's, or its view's members' (one
    // format per view; a view without members: kDefaultPackageFormat). Never
    // null after resolve_tree(); a singleton (package_format()).
    const PackageFormat* format = nullptr;
    bool generated = false;
    // Members in priority order (one for a repo tree; a view's members in
    // view order: the first member wins a file-name conflict).
    std::vector<TreeSource> sources;
    // The tree's own creation/change time (latest_changed_at, a snapshot's
    // created_at, a view's newest member change): repomd timestamps/revision.
    std::int64_t timestamp = 0;
    // Changes whenever the contents may have changed; equal versions mean
    // equal contents (caches key on it).
    std::string version;
    // The key that signs a generated tree's index files, attached by the
    // caller that serves the tree (attach_generation_settings); nullopt: unsigned. Part
    // of the generated files' digest, so a key change re-signs.
    std::optional<TreeSigner> signer;
    // How a generated tree's index files are compressed (the config's
    // metadata.compression), attached with the signer. Part of the
    // generated files' digest.
    MetadataCompression metadata_compression = MetadataCompression::automatic;
    // A generated APT tree's suite, components, architectures and Release
    // fields (its repository's `apt:`; for a view, view_apt_settings),
    // attached with the signer; nullopt when no config was attached. Read
    // only by the APT format's generator, which puts it in the digest.
    std::optional<AptSettings> apt;
};

// Attaches the signer the config gives a generated tree (`signing` may be
// null: unsigned). Mirror trees keep upstream's signature and get none.
// Throws chantal::Error when the configured key cannot be used.
// The metadata compression the config gives a generated tree (`signing`
// carries the config; null: automatic) is attached too.
void attach_generation_settings(TreeState& state, TreeSigningKeys* signing);
// The APT settings of a view's generated tree: the Release names of its
// `apt:`, and the components and architectures its members' configs list
// (in view order, each once).
AptSettings view_apt_settings(const Config& config, const ViewConfig& view);

// Resolves a tree; nullopt when the repo, view or snapshot does not exist
// (or a repo was never synced: it has no latest yet). Throws Error::busy
// when the catalogue stays locked.
std::optional<TreeState> resolve_tree(Database& database, const TreeAddress& ref);

// The top-level layout, sorted by name.
std::vector<std::string> list_repository_ids(Database& database);
std::vector<std::string> repository_snapshot_names(Database& database, std::string_view repo_id);
std::vector<std::string> list_view_names(Database& database);
std::vector<std::string> view_snapshot_names(Database& database, std::string_view view);

// A package row of a tree, in path order (for index file generation).
struct TreePackageRow {
    std::string path;
    std::int64_t package_id = 0;
    PoolFile file;
};

// A membership row of a source with role 'metadata' (an upstream index file).
struct TreeMetadataRow {
    std::string path;
    std::string metadata_type;  // repomd, primary, group, modules, repomd_signature, ...
    PoolFile file;
};

// The membership part of a tree (without generated index files: see tree_files.h,
// which overlays it). Immutable; shareable between threads.
class TreeContents {
public:
    virtual ~TreeContents() = default;
    const TreeState& state() const { return state_; }

    // The entries of directory `dir` ("" is the tree's root; no leading or
    // trailing '/'), sorted by name; nullopt when `dir` is not a directory.
    virtual std::optional<std::vector<TreeEntry>> list(Database& database, std::string_view dir) const = 0;
    // The names of directory `dir`'s entries, in any order, without their
    // pool files (no content_items join: the fast way to a plain readdir).
    // In trees whose membership may change (`latest`) a file also carries
    // what tells it from the same name with other bytes: its `content_id`
    // (TreeEntry::content_id) when the membership names one, else its
    // `content_sha256`. Both may be unset in snapshots (whose version stands
    // for their bytes) and are unset for directories.
    // `visit` sees each name once; the views are valid during the call only.
    // False (nothing visited) when `dir` is not a directory.
    using NameVisitor = std::function<void(std::string_view name, bool directory, std::int64_t content_id,
                                           std::string_view content_sha256)>;
    virtual bool list_names(Database& database, std::string_view dir, const NameVisitor& visit) const;
    // One entry by its path ("Packages/a/a-1.rpm"); nullopt when absent.
    virtual std::optional<TreeEntry> lookup(Database& database, std::string_view path) const = 0;
    // Every package of the tree in path order.
    virtual void for_each_package(Database& database, const std::function<void(const TreePackageRow&)>& visit) const = 0;
    // Every membership file of the tree in path order: all rows of a mirror
    // tree (upstream repodata included), the packages of a generated tree.
    virtual void for_each_file(Database& database,
                               const std::function<void(const std::string& path, const PoolFile& file)>& visit) const;
    // Upstream metadata rows of each source, in source order (used by
    // generated trees to pass comps/modules through).
    std::vector<std::vector<TreeMetadataRow>> metadata_rows(Database& database) const;

protected:
    explicit TreeContents(TreeState state) : state_(std::move(state)) {}
    TreeState state_;
};

// Builds the contents of a resolved tree (for a view this reads its whole
// package set once).
std::shared_ptr<const TreeContents> open_tree_contents(Database& database, TreeState state);

}  // namespace chantal
