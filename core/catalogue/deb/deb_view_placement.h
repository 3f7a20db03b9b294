// The APT placement rule of views (view_placement.h): Debian's pool layout,
// pool/<component>/<prefix>/<source>/<file name>, as generated APT trees
// place their packages. The component is the one the member serves the
// package under (its path's pool/<component>/; "main" for a path outside
// pool/, as a flat repository's).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/tree_package.h"

namespace chantal {

// source_name "" means the package's own name. nullopt for names no pool
// path can hold (upstream data).
std::optional<std::string> deb_view_package_path(const TreePackage& package, std::string_view source_name);

}  // namespace chantal
