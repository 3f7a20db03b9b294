// After a command moved repositories' `latest` (repo sync, package upload):
// the generated trees it moved get their index files now
// (core/tree/index_preparation.h), with one line per tree that took work.
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace chantal::cli {

// Prepares the index files of `repo_ids`' latest trees and of the views
// they are members of (views are reconciled with the config first). Prints
// "TREE: N index files generated in S" (info) for each tree generated now,
// and a warning for each that failed or when none could be tried (the FUSE
// daemon or the next export tries again); never throws chantal::Error.
// After an interrupt (Ctrl-C) it does nothing.
void prepare_moved_trees(AppContext& context, const std::vector<std::string>& repo_ids);

}  // namespace chantal::cli
