#include "fs/log.h"

#include <syslog.h>
#include <unistd.h>

#include <atomic>

namespace chantal::fs {
namespace {
std::atomic<bool> to_syslog{false};
}

void log_to_syslog() {
    ::openlog("chantalfs", LOG_PID, LOG_DAEMON);
    to_syslog = true;
}

void log_line(const std::string& message) {
    if (to_syslog) return ::syslog(LOG_INFO, "%s", message.c_str());
    const std::string line = "chantalfs: " + message + "\n";
    // One write per line; a short write on stderr is not worth a retry loop.
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace chantal::fs
