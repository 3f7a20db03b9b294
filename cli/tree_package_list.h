// The packages of one tree as `package list` and `snapshot content` print
// them: a table, a JSON array, or CSV (RFC 4180, one header line).
#pragma once

#include <string>

#include "cli/context.h"
#include "cli/tree_target.h"

namespace chantal::cli {

enum class PackageListFormat { table, json, csv };

// Prints the packages of target's tree `snapshot` ("" or "latest": the
// latest tree) to stdout. Throws what prepared_catalogue() and the tree
// lookup throw (unknown repository, view or snapshot).
void print_tree_packages(AppContext& context, const TreeTarget& target, const std::string& snapshot,
                         PackageListFormat format);

}  // namespace chantal::cli
