#include "fs/log.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/base/error.h"
#include "core/base/unique_fd.h"

namespace chantal::fs {
namespace {

enum class Destination { stderr_stream, file, syslog };

// Written only by log_to_* (before the FUSE threads start); read by every thread.
std::atomic<Destination> destination{Destination::stderr_stream};
UniqueFd log_file;

void write_line(int fd, const std::string& line) {
    // One write per line; a short write on a log is not worth a retry loop.
    [[maybe_unused]] auto written = ::write(fd, line.data(), line.size());
}

long long now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string log_timestamp(long long unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[32];
    const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + length, sizeof text - length, ".%03lldZ", unix_ms % 1000);
    return text;
}

void log_to_file(const std::filesystem::path& file) {
    UniqueFd fd(::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
    if (!fd) throw Error::io("opening log file " + file.string(), errno);
    log_file = std::move(fd);
    destination = Destination::file;
}

void log_to_syslog() {
    if (destination == Destination::file) return;
    ::openlog("chantalfs", LOG_PID, LOG_DAEMON);
    destination = Destination::syslog;
}

bool logging_to_file() { return destination == Destination::file; }

void log_line(const std::string& message) {
    switch (destination.load()) {
        case Destination::syslog: return ::syslog(LOG_INFO, "%s", message.c_str());
        case Destination::file:
            return write_line(log_file.get(), log_timestamp(now_ms()) + " chantalfs[" + std::to_string(::getpid()) +
                                                  "]: " + message + "\n");
        case Destination::stderr_stream: return write_line(STDERR_FILENO, "chantalfs: " + message + "\n");
    }
}

}  // namespace chantal::fs
