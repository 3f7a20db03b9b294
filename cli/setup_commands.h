// The commands that set chantal up rather than run a mirror: checking the
// configuration and describing the command line itself to the shell and to
// man. command_setup.cpp registers them all (one line in main.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace chantal::cli {

void register_config_commands(CLI::App& app, AppContext& context);  // command_config.cpp
// `completion bash`; it describes `root`, so every command must be added
// to root before the command line is parsed.
void register_completion_command(CLI::App& root);                   // command_completion.cpp
// `manual`: chantal(1) in roff; the build writes it into the build tree and
// installs it. Like `completion`, it describes `root`.
void register_manual_command(CLI::App& root);                       // command_manual.cpp

}  // namespace chantal::cli
