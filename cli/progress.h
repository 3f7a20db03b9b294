// SyncObserver for the terminal: a one-line progress bar on stderr when it
// is a terminal (files and bytes done of total, rate, ETA), one line per
// stage when it is a pipe, nothing with -q or --format json.
#pragma once

#include <chrono>

#include "cli/output.h"
#include "core/sync_observer.h"

namespace chantal::cli {

class ConsoleSyncObserver : public SyncObserver {
public:
    explicit ConsoleSyncObserver(const Console& console) : console_(console) {}
    ~ConsoleSyncObserver() override { end_bar(); }

    void stage(const std::string& repo_id, const std::string& text) override;
    void download_progress(const std::string& repo_id, const DownloadProgress& progress) override;
    void warning(const std::string& repo_id, const std::string& text) override;
    // Clears the bar (before printing a summary).
    void end_bar();

private:
    bool show_bar() const;
    const Console& console_;
    bool bar_visible_ = false;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

std::string format_duration(double seconds);  // "0:42", "1:02:03"

}  // namespace chantal::cli
