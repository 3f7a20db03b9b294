// A whole tree as files (design.md §2): the membership of tree.h with, for a
// generated tree, the index files its format generates (package_format.h)
// overlaid at the format's index directory (repodata/ for rpm). Index files
// sit directly in that directory. A signed generated tree also has its
// signer's public key at the root (TreeSigner::public_key_name). The FUSE daemon and export/publish both walk trees through these
// functions, so both show the same paths and the same bytes.
//
// Thread safety: free functions over immutable inputs; the Database belongs to
// the calling thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"
#include "core/tree/tree.h"

namespace chantal {

// True when answering `path` (a directory to list or an entry to look up)
// needs the tree's generated index files: generated trees, at or below the
// format's index directory. Callers then pass a non-null `generated` below.
bool needs_generated_files(const TreeState& state, std::string_view path);

// Directory listing / lookup with the overlay. `generated` may be null unless
// needs_generated_files(state, path) (then Error::internal).
std::optional<std::vector<TreeEntry>> list_tree_directory(Database& database, const TreeContents& contents,
                                                          const GeneratedFiles* generated, std::string_view dir);
// The names of a directory's entries with the overlay, in any order
// (TreeContents::list_names); false when `dir` is not a directory.
bool list_tree_names(Database& database, const TreeContents& contents, const GeneratedFiles* generated,
                     std::string_view dir, const TreeContents::NameVisitor& visit);
std::optional<TreeEntry> lookup_tree_entry(Database& database, const TreeContents& contents,
                                           const GeneratedFiles* generated, std::string_view path);

// Every file of a tree (no directories), mirror rows or packages first, then
// generated index files; within each part in path order. For a generated tree
// they are found or generated (so `database` must be read-write), signed by
// the key `signing` gives the tree (null: unsigned). Throws
// Error::not_found when the tree does not exist.
using TreeFileVisitor = std::function<void(const std::string& path, const PoolFile& file)>;
void for_each_entry(Database& database, const Pool& pool, const TreeAddress& ref, TreeSigningKeys* signing,
                    const TreeFileVisitor& visit);
// The same over already opened contents.
void for_each_entry(Database& database, const Pool& pool, const TreeContents& contents, const TreeFileVisitor& visit);

}  // namespace chantal
