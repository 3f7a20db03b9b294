#include "cli/tree_diff_output.h"

namespace chantal::cli {
namespace {

nlohmann::json evr_or_null(const std::string& evr) { return evr.empty() ? nlohmann::json(nullptr) : nlohmann::json(evr); }

void print_changes(const Console& console, const std::string& title, const std::vector<PackageChange>& changes) {
    if (changes.empty()) return;
    console.print_line(title + " (" + std::to_string(changes.size()) + "):");
    Table table({"NAME", "ARCH", "FROM", "TO"});
    for (const auto& change : changes)
        table.add_row({change.name, change.arch, change.from_evr.empty() ? "-" : change.from_evr,
                       change.to_evr.empty() ? "-" : change.to_evr});
    console.print_table(table);
    console.print_line("");
}

}  // namespace

nlohmann::json changes_json(const std::vector<PackageChange>& changes) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& change : changes)
        list.push_back({{"name", change.name},
                        {"arch", change.arch},
                        {"from", evr_or_null(change.from_evr)},
                        {"to", evr_or_null(change.to_evr)}});
    return list;
}

nlohmann::json diff_json(const TreeDiff& diff) {
    return {{"upgraded", changes_json(diff.upgraded)}, {"downgraded", changes_json(diff.downgraded)},
            {"added", changes_json(diff.added)},       {"removed", changes_json(diff.removed)},
            {"changed", changes_json(diff.changed)},   {"unchanged", diff.unchanged}};
}

nlohmann::json diff_counts_json(const TreeDiff& diff) {
    return {{"upgraded", diff.upgraded.size()}, {"downgraded", diff.downgraded.size()},
            {"added", diff.added.size()},       {"removed", diff.removed.size()},
            {"changed", diff.changed.size()},   {"unchanged", diff.unchanged}};
}

std::string diff_counts_text(const TreeDiff& diff) {
    std::string text;
    const std::pair<const char*, std::size_t> kinds[] = {{"upgraded", diff.upgraded.size()},
                                                         {"downgraded", diff.downgraded.size()},
                                                         {"added", diff.added.size()},
                                                         {"removed", diff.removed.size()},
                                                         {"changed", diff.changed.size()}};
    for (const auto& [kind, count] : kinds)
        if (count > 0) text += std::to_string(count) + " " + kind + ", ";
    return text + std::to_string(diff.unchanged) + " unchanged";
}

void print_diff_tables(const Console& console, const TreeDiff& diff) {
    print_changes(console, "upgraded", diff.upgraded);
    print_changes(console, "downgraded", diff.downgraded);
    print_changes(console, "added", diff.added);
    print_changes(console, "removed", diff.removed);
    print_changes(console, "changed (same version, different file)", diff.changed);
}

}  // namespace chantal::cli
