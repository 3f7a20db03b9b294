// The --repo-id / --view pair that snapshot, package and export commands
// take, and the catalogue checks they share.
#pragma once

#include <string>

#include "cli/commands.h"
#include "cli/context.h"

namespace chantal::cli {

struct TreeTarget {
    std::string repo_id;
    std::string view;
    bool is_view() const { return !view.empty(); }
};

// Adds the --repo-id / --view pair; exactly one is required unless optional.
void add_tree_target_options(CLI::App* command, TreeTarget& target, bool optional = false);

// The catalogue with views reconciled from the config, and the target
// checked: an unknown repo or view gets the config's "unknown ..." error,
// a configured repo without a catalogue row a "never synced" one.
Database& prepared_catalogue(AppContext& context, const TreeTarget& target);

}  // namespace chantal::cli
