#include "cli/unknown_command.h"

#include <algorithm>

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
    std::sort(names.begin(), names.end());
    std::string known;
    for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
    return message + " (commands: " + known + ")";
}

}  // namespace chantal::cli
