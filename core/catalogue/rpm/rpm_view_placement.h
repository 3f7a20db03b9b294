// The RPM placement rule of generated trees and views (view_placement.h):
// Packages/<first character of the file name, lowercased>/<file name>
// (metadata::generated_tree_path).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/tree_package.h"

namespace chantal {

// "Packages/n/nginx-1.24.0-1.el9.x86_64.rpm"; nullopt for a file name no
// generated tree can hold (a path separator, control characters, ...).
std::optional<std::string> rpm_package_path(std::string_view file_name);

// The ViewPlacement of RPM: rpm_package_path of the pool file's name.
std::optional<std::string> rpm_view_package_path(const TreePackage& package, std::string_view source_name);

}  // namespace chantal
