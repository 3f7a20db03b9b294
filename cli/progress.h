// SyncObserver for the terminal: a progress bar (progress_bar.h) while
// packages download, one line per stage on stderr, warnings; nothing with -q
// or --format json.
#pragma once

#include <memory>

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
    // Clears the bar (before printing a summary).
    void end_bar() { bar_.clear(); }

private:
    const Console& console_;
    ProgressBar bar_;
};

}  // namespace chantal::cli
