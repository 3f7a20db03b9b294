#include "core/tree/view_packages.h"

namespace chantal {

void for_each_view_package(Database& database, const TreeAddress& tree, const std::function<void(const TreePackage&)>& visit,
                           std::vector<ViewConflict>* conflicts) {
    for_each_view_union_package(database, view_members(database, tree), visit, conflicts);
}

std::vector<TreePackage> view_packages(Database& database, const TreeAddress& tree, std::vector<ViewConflict>* conflicts) {
    std::vector<TreePackage> packages;
    for_each_view_package(database, tree, [&](const TreePackage& package) { packages.push_back(package); }, conflicts);
    return packages;
}

std::optional<TreePackage> find_view_package(Database& database, const TreeAddress& tree, std::string_view filename) {
    std::optional<TreePackage> found;
    for_each_view_union_package(
        database, view_members(database, tree), [&](const TreePackage& package) { found = package; }, nullptr, filename);
    return found;
}

}  // namespace chantal
