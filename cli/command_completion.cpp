// chantal completion bash: the bash completion script, generated from the
// same command definitions the parser uses.
#include <iostream>

#include "cli/bash_completion.h"
#include "cli/command_tree.h"
#include "cli/setup_commands.h"

namespace chantal::cli {

void register_completion_command(CLI::App& root) {
    auto* completion = root.add_subcommand("completion", "Print a shell completion script");
    completion->require_subcommand(1);
    auto* bash = completion->add_subcommand(
        "bash", "Print the bash completion script (installed as share/bash-completion/completions/chantal; "
                "or: source <(chantal completion bash))");
    bash->callback([&root] { std::cout << bash_completion_script(describe_commands(root), root.get_name()); });
}

}  // namespace chantal::cli
