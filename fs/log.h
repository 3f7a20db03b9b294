// chantalfs log lines on stderr (the journal under systemd): one line per
// call, written with a single write(2) so lines from threads never interleave.
#pragma once

#include <string>

namespace chantal::fs {

void log_line(const std::string& message);

}  // namespace chantal::fs
