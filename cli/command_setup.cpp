// Registers the setup commands (setup_commands.h) with one call from main.cpp.
#include "cli/commands.h"
#include "cli/setup_commands.h"

namespace chantal::cli {

void register_setup_commands(CLI::App& app, AppContext& context) {
    register_config_commands(app, context);
    register_completion_command(app);
    register_manual_command(app);
}

}  // namespace chantal::cli
