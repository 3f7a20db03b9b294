#include "core/catalogue/rpm/rpm_view_placement.h"

#include "metadata/rpm/href.h"

namespace chantal {

std::optional<std::string> rpm_package_path(std::string_view file_name) {
    if (!metadata::is_safe_package_file_name(file_name)) return std::nullopt;
    return metadata::generated_tree_path(file_name);
}

std::optional<std::string> rpm_view_package_path(const TreePackage& package, std::string_view) {
    return rpm_package_path(package.filename);
}

}  // namespace chantal
