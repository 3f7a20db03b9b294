// Naming the word a user got wrong: "chantal repo lst" says which word is
// unknown where, and which command was probably meant.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace chantal::cli {

// After a failed parse of `root`: when the first word left over is not a
// subcommand of the deepest command that was parsed, the message naming it
// ("unknown command 'lst' for 'chantal repo'; did you mean 'list'?"),
// else nothing (the parse error says it better).
std::optional<std::string> describe_unknown_command(const CLI::App& root);

}  // namespace chantal::cli
