#include "cli/interrupt.h"

#include <csignal>
#include <unistd.h>

namespace chantal::cli {
namespace {

std::atomic<bool> interrupted{false};

void on_signal(int signal_number) {
    if (interrupted.exchange(true)) {
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
    }
}

}  // namespace

const std::atomic<bool>& install_interrupt_handlers() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    return interrupted;
}

}  // namespace chantal::cli
