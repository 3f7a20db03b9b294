// chantalfs's log: one line per message, to one destination chosen at
// startup:
//   stderr (default; the journal under systemd, the terminal with -f):
//     "chantalfs: MESSAGE";
//   a file (-o log=FILE, foreground or background), opened for appending:
//     "2026-12-01T03:16:26.123Z chantalfs[PID]: MESSAGE" (UTC);
//   syslog (a detached daemon without -o log), facility daemon.
//
// Thread safety: log_line may be called from any thread; each line is one
// write(2) (O_APPEND for the file), so lines of threads never interleave.
// The destination is set from main before the FUSE threads start, never
// concurrently with log_line.
#pragma once

#include <filesystem>
#include <string>

namespace chantal::fs {

void log_line(const std::string& message);
// From now on log to `file` (created 0640 when missing, appended to). The
// file stays open for the life of the process, across fuse_daemonize().
// Throws Error when it cannot be opened.
void log_to_file(const std::filesystem::path& file);
// From now on log to syslog, unless a log file is set (the daemon detached
// from its terminal: libfuse points stderr at /dev/null).
void log_to_syslog();
bool logging_to_file();

// "YYYY-MM-DDTHH:MM:SS.mmmZ" for `unix_ms` milliseconds since the epoch.
std::string log_timestamp(long long unix_ms);

}  // namespace chantal::fs
