// The effective package set of a view tree (latest or a view snapshot): the
// union of its members' packages, as the FUSE tree, export, `package list`
// and `snapshot diff` see it.
//
// In a view's generated tree every package lives at
// Packages/<first character of the file name, lowercased>/<file name>
// (view_package_path). Two members holding different files (different
// content) under the same file name resolve to the member that comes first
// in view order; each such case is reported as a ViewConflict. The same file
// in several members is one package, not a conflict.
//
// Cost: one query over the members' membership rows, sorted by file name;
// memory proportional to the view's package count for view_packages(),
// constant for for_each_view_package() and find_view_package().
// Thread safety: as Database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/tree/tree_package.h"

namespace chantal {

struct ViewConflict {
    std::string filename;
    std::string winner_repo_id;   // first in view order: its file is served
    std::string winner_sha256;
    std::string shadowed_repo_id; // its file of the same name is hidden
    std::string shadowed_sha256;
};

// "Packages/n/nginx-1.24.0-1.el9.x86_64.rpm": the tree model's placement
// rule (metadata::generated_tree_path); nullopt for a file name no generated
// tree can hold (the tree model leaves such packages out, and so do these).
std::optional<std::string> view_package_path(std::string_view filename);

// Calls visit for each effective package of a view tree, in file name order.
// TreePackage::path is the view tree path, repo_id the providing member.
// When conflicts is not null, shadowed files are appended to it.
// Throws Error::invalid_input when tree is not a view tree, Error::not_found
// when it does not exist (locate_tree).
void for_each_view_package(Database& database, const TreeAddress& tree, const std::function<void(const TreePackage&)>& visit,
                           std::vector<ViewConflict>* conflicts = nullptr);
std::vector<TreePackage> view_packages(Database& database, const TreeAddress& tree,
                                       std::vector<ViewConflict>* conflicts = nullptr);
// The package a view tree serves under filename, if any (the winner of a conflict).
std::optional<TreePackage> find_view_package(Database& database, const TreeAddress& tree, std::string_view filename);

}  // namespace chantal
