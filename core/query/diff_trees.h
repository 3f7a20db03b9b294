// What changed between two stored trees (repository or view, latest or
// snapshot): the package changes of diff_package_sets (core/tree/tree_diff.h)
// plus the advisories the `to` side brings. Reads only; throws
// chantal::Error. Thread safety: as Database.
#pragma once

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_package.h"
#include "core/tree/tree_diff.h"

namespace chantal {

TreeDiff diff_trees(Database& database, const TreeAddress& from, const TreeAddress& to);

}  // namespace chantal
