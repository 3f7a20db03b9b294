// The bash completion script of a command tree: completes command and
// subcommand names, the options each command accepts (its own and those it
// inherits), the choices of options with a fixed set of values, and file
// names for other option values and positional arguments.
#pragma once

#include <string>

#include "cli/command_tree.h"

namespace chantal::cli {

// A script to source (or install as completions/<program>) that defines
// _<program> and registers it with `complete -F` for `program`.
std::string bash_completion_script(const CommandDescription& root, const std::string& program);

}  // namespace chantal::cli
