// Where a view tree places a member's package: each format's own rule, the
// one a generated tree of that format uses, so that a view of one format
// looks like a generated repository of it to its clients. The rules live in
// the format's folder (rpm/, deb/); this is the one place that picks among
// them by the catalogue's `format` value.
//
// A rule returns the package's path in the view tree, or nullopt for a
// package whose names no generated tree can hold (upstream data: it is left
// out of the view). Rules are pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/tree_package.h"

namespace chantal {

// package.path is the package's path in its member tree, source_name its
// source package's name as the catalogue holds it (the RPM's source RPM
// file name, the Debian source package; "" when none).
using ViewPlacement = std::optional<std::string> (*)(const TreePackage& package, std::string_view source_name);

// The rule of `format` ("rpm", "apt"); Error::corrupt for a format value the
// catalogue cannot hold.
ViewPlacement view_placement(std::string_view format);

}  // namespace chantal
