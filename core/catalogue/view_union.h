// The union rule of a view tree (latest or a view snapshot): what the FUSE
// tree, export, generated repodata, `package list`, `view show`,
// `snapshot list/show`, diff, and the holders that db verify, pool verify
// and repair report all see. This is the only implementation of the rule.
//
// A view's members are repository trees in view order, all of one format.
// The view serves each package of its members where a generated tree of
// that format places it (view_placement.h: RPM at Packages/<letter>/<file
// name>, APT in Debian's pool layout); the file name is the pool file's
// name. Two members holding different files (different content) under the
// same file name: the member first in view order wins and the other file is
// shadowed (reported as a ViewConflict). The same file in several members is
// one package, not a conflict. A package whose names no generated tree can
// hold is left out.
//
// Cost: one query over the members' package rows, sorted by file name;
// memory constant (visitors see one package at a time). Restricted to one
// file name it is an index lookup. Thread safety: as Database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_address.h"
#include "core/catalogue/tree_package.h"

namespace chantal {

struct ViewConflict {
    std::string filename;
    std::string winner_repo_id;   // first in view order: its file is served
    std::string winner_sha256;
    std::string shadowed_repo_id; // its file of the same name is hidden
    std::string shadowed_sha256;
};

// Where the view serves a member's package: its format's rule
// (view_placement.h). package.path is its path in the member tree,
// source_name its source package's name as catalogued.
std::optional<std::string> view_package_path(const TreePackage& package, std::string_view source_name);

// The members of a view tree in view order: repository_contents sources for
// a view's latest, snapshot_contents sources for a view snapshot. Throws
// Error::not_found as locate_tree does, Error::invalid_input for a tree that
// is not a view tree.
std::vector<TreeSource> view_members(Database& database, const TreeAddress& view_tree);

// Calls visit for each package the view serves, in file name order, with
// TreePackage::path the view tree path and repo_id the providing member.
// Shadowed files are appended to conflicts when it is not null. With
// only_filename, looks at that one file name. All members must read the
// same table (a view tree never mixes latest and snapshot members).
void for_each_view_union_package(Database& database, const std::vector<TreeSource>& members,
                                 const std::function<void(const TreePackage&)>& visit,
                                 std::vector<ViewConflict>* conflicts = nullptr,
                                 std::optional<std::string_view> only_filename = std::nullopt);

}  // namespace chantal
