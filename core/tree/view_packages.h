// The effective package set of a view tree (latest or a view snapshot), by
// its address: the union rule of core/catalogue/view_union.h applied to the
// view's members.
//
// Every function throws Error::invalid_input when tree is not a view tree
// and Error::not_found when it does not exist (locate_tree). Thread safety:
// as Database.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_address.h"
#include "core/catalogue/tree_package.h"
#include "core/catalogue/view_union.h"

namespace chantal {

// Calls visit for each effective package of a view tree, in file name order.
// TreePackage::path is the view tree path, repo_id the providing member.
// When conflicts is not null, shadowed files are appended to it.
void for_each_view_package(Database& database, const TreeAddress& tree, const std::function<void(const TreePackage&)>& visit,
                           std::vector<ViewConflict>* conflicts = nullptr);
std::vector<TreePackage> view_packages(Database& database, const TreeAddress& tree,
                                       std::vector<ViewConflict>* conflicts = nullptr);
// The package a view tree serves under filename, if any (the winner of a conflict).
std::optional<TreePackage> find_view_package(Database& database, const TreeAddress& tree, std::string_view filename);

}  // namespace chantal
