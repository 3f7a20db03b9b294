// chantalfs log lines on stderr (the journal under systemd, -f): one line per
// call, written with a single write(2) so lines from threads never interleave.
#pragma once

#include <string>

namespace chantal::fs {

void log_line(const std::string& message);
// From now on log to syslog (the daemon detached from its terminal: libfuse
// points stderr at /dev/null).
void log_to_syslog();

}  // namespace chantal::fs
