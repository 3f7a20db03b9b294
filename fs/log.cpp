#include "fs/log.h"

#include <unistd.h>

namespace chantal::fs {

void log_line(const std::string& message) {
    const std::string line = "chantalfs: " + message + "\n";
    // One write per line; a short write on stderr is not worth a retry loop.
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace chantal::fs
