#include "cli/unknown_command.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "cli/output.h"
#include "core/base/nearest_word.h"

namespace chantal::cli {
namespace {

// The deepest command the parser entered: root, then its parsed subcommand, ...
const CLI::App& deepest_parsed(const CLI::App& root) {
    const CLI::App* current = &root;
    for (;;) {
        const auto parsed = current->get_subcommands();
        if (parsed.empty()) return *current;
        current = parsed.front();
    }
}

std::string command_path(const CLI::App& command) {
    std::string path = command.get_name();
    for (const CLI::App* parent = command.get_parent(); parent; parent = parent->get_parent())
        path = parent->get_name() + " " + path;
    return path;
}

// Words admins bring from other tools, and the command of ours they mean.
constexpr std::pair<std::string_view, std::string_view> kOtherWords[] = {
    {"validate", "config check"}, {"check", "config check"},   {"status", "repo list"},
    {"cleanup", "pool cleanup"},  {"vacuum", "db vacuum"},     {"mount", "chantalfs"},
};

}  // namespace

std::optional<std::string> describe_unknown_command(const CLI::App& root) {
    const CLI::App& command = deepest_parsed(root);
    const auto all = [](const CLI::App*) { return true; };
    std::vector<std::string> names;
    for (const CLI::App* subcommand : command.get_subcommands(all)) names.push_back(subcommand->get_name());
    if (names.empty()) return std::nullopt;
    std::string word;
    for (const auto& argument : root.remaining(true))
        if (!argument.starts_with("-")) {
            word = argument;
            break;
        }
    if (word.empty() || std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
    std::string message = "unknown command '" + word + "' for '" + command_path(command) + "'";
    if (auto suggestion = nearest_word(word, names)) return message + "; did you mean '" + *suggestion + "'?";
    // A command one level down ("chantal sync" -> "repo sync"), or a word
    // other tools use for one of ours.
    std::vector<std::string> nested;
    for (const CLI::App* group : command.get_subcommands(all))
        for (const CLI::App* subcommand : group->get_subcommands(all))
            if (subcommand->get_name() == word) nested.push_back(group->get_name() + " " + word);
    if (&command == &root && nested.empty())
        for (const auto& [other, ours] : kOtherWords)
            if (word == other) nested.emplace_back(ours);
    if (!nested.empty()) {
        std::string choices;
        for (const auto& choice : nested) choices += (choices.empty() ? "'" : "' or '") + choice;
        return message + "; did you mean " + choices + "'?";
    }
    std::sort(names.begin(), names.end());
    return message + " (commands: " + join(names, ", ") + ")";
}

}  // namespace chantal::cli
