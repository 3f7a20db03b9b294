// The --repo-id / --view pair that snapshot, package and export commands
// take, the tree it names with a snapshot name, and the catalogue checks
// they share. The one place where command-line options become a tree.
#pragma once

#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/context.h"
#include "core/catalogue/tree_address.h"

namespace chantal::cli {

struct TreeTarget {
    std::string repo_id;
    std::string view;
    bool is_view() const { return !view.empty(); }
    // The repository's or view's tree named snapshot_name: "" or "latest"
    // is the latest tree, anything else a snapshot.
    TreeAddress tree(std::string_view snapshot_name) const;
};

// Adds the --repo-id / --view pair; exactly one is required unless optional.
void add_tree_target_options(CLI::App* command, TreeTarget& target, bool optional = false);

// The catalogue with views reconciled from the config, and the target
// checked: an unknown repo or view gets the config's "unknown ..." error,
// a configured repo without a catalogue row a "never synced" one.
Database& prepared_catalogue(AppContext& context, const TreeTarget& target);

}  // namespace chantal::cli
