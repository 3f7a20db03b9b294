// Ctrl-C / SIGTERM during long commands: the first signal asks the running
// operation to stop cleanly (it keeps what is finished and leaves latest as
// it was); a second one ends the process at once. The flag is the one
// process-wide state of the CLI, because a signal handler can reach nothing
// else.
#pragma once

#include <atomic>

namespace chantal::cli {

// Installs the handlers and returns the flag they set.
const std::atomic<bool>& install_interrupt_handlers();

}  // namespace chantal::cli
