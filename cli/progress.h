// SyncObserver for the terminal: a progress bar (progress_bar.h) while
// packages download, one line per stage on stderr, warnings; nothing with -q
// or --format json. With -v, "REPO: STAGE took 1.2 s" as each stage ends.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cli/output.h"
#include "cli/progress_bar.h"
#include "core/download/sync_observer.h"

namespace chantal::cli {

class ConsoleSyncObserver : public SyncObserver {
public:
    explicit ConsoleSyncObserver(const Console& console) : console_(console), bar_(console, "") {}

    void stage(const std::string& repo_id, const std::string& text) override;
    void download_progress(const std::string& repo_id, const DownloadProgress& progress) override;
    void warning(const std::string& repo_id, const std::string& text) override;
    // Clears the bar and ends the current stage (before printing a summary
    // or an error).
    void end_bar();

private:
    void finish_stage();

    const Console& console_;
    ProgressBar bar_;
    std::string stage_repo_id_;
    std::string stage_text_;  // empty: no stage running
    std::chrono::steady_clock::time_point stage_started_;
};

}  // namespace chantal::cli
