// CommandTree: the chantal command line as plain data, read from the CLI11
// App that parses it, so the bash completion and the chantal(1) page are
// generated from the same definitions as the parser and cannot drift.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace chantal::cli {

struct OptionDescription {
    std::vector<std::string> names;    // "-c", "--config"; a positional's one name ("FILE")
    std::string value_name;            // "TEXT", "INT", ...; empty for a flag
    std::vector<std::string> choices;  // the IsMember set ("table", "json"); empty when free
    std::string description;
    std::string default_value;         // empty when none worth showing
    bool positional = false;
    bool required = false;
    bool takes_value() const { return positional || !value_name.empty(); }
};

struct CommandDescription {
    std::string name;                  // empty for the root
    std::string description;
    // The command's own options, those of its option groups included.
    std::vector<OptionDescription> options;
    // Options of ancestors that CLI11 also accepts here (fallthrough).
    std::vector<OptionDescription> inherited_options;
    std::vector<CommandDescription> subcommands;  // hidden ones (empty group) left out
};

// Reads the tree below `app`. Only const access: the App is not changed.
CommandDescription describe_commands(const CLI::App& app);

// The choices of an IsMember-style validator description: "{table,json}"
// gives {"table", "json"}; a mapping "{a->1,b->2}" gives its keys. Anything
// else gives nothing.
std::vector<std::string> choices_from_type_name(const std::string& type_name);

}  // namespace chantal::cli
