// The one way the CLI tells what changed between two states of a tree:
// `snapshot diff`, `repo check-updates` and `repo sync` use the same words
// (upgraded, downgraded, added, removed, changed, unchanged) and, in JSON,
// the same keys, with null for the EVR a side does not have.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli/output.h"
#include "core/tree/tree_diff.h"

namespace chantal::cli {

// [{"name", "arch", "from": EVR or null, "to": EVR or null}, ...]
nlohmann::json changes_json(const std::vector<PackageChange>& changes);

// {"upgraded": [...], "downgraded": [...], "added": [...], "removed": [...],
//  "changed": [...], "unchanged": N}
nlohmann::json diff_json(const TreeDiff& diff);

// {"upgraded": N, ..., "unchanged": N}: the counts of diff_json.
nlohmann::json diff_counts_json(const TreeDiff& diff);

// The kinds that have changes, in the order upgraded, downgraded, added,
// removed, changed, then unchanged: "1 upgraded, 2 added, 7 unchanged".
std::string diff_counts_text(const TreeDiff& diff);

// One titled table per kind of change that has entries ("upgraded (2):").
void print_diff_tables(const Console& console, const TreeDiff& diff);

}  // namespace chantal::cli
