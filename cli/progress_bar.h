// ProgressBar: "label [#####.....] 120/300 files  1.2 GiB/3.4 GiB  85 MiB/s  ETA 0:42"
// on stderr when it is a terminal, redrawn at most ten times a second;
// nothing in pipes, with -q or with --format json. One per long operation
// (sync downloads, db verify --checksums, export). Not thread-safe: call
// from the thread that runs the operation.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "cli/output.h"

namespace chantal::cli {

struct ProgressCounts {
    std::uint64_t files_done = 0;
    std::uint64_t files_total = 0;
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;        // 0: unknown, the bar follows files
    std::uint64_t bytes_transferred = 0;  // for the rate; 0: use bytes_done
    std::uint64_t files_failed = 0;
};

class ProgressBar {
public:
    ProgressBar(const Console& console, std::string label);
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    ~ProgressBar() { clear(); }

    void update(const ProgressCounts& counts);
    // Removes the bar (before printing a line or a summary).
    void clear();
    // Starts timing the rate anew (a new stage).
    void restart(std::string label);

private:
    bool visible_;
    bool shown_ = false;
    std::string label_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_drawn_{};
};

std::string format_duration(double seconds);  // "0:42", "1:02:03"

}  // namespace chantal::cli
