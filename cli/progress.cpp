#include "cli/progress.h"

namespace chantal::cli {

void ConsoleSyncObserver::stage(const std::string& repo_id, const std::string& text) {
    finish_stage();
    bar_.restart(repo_id);
    console_.info(repo_id + ": " + text);
    stage_repo_id_ = repo_id;
    stage_text_ = text;
    stage_started_ = std::chrono::steady_clock::now();
}

void ConsoleSyncObserver::end_bar() {
    bar_.clear();
    finish_stage();
}

void ConsoleSyncObserver::finish_stage() {
    if (stage_text_.empty()) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_started_).count();
    console_.detail(stage_repo_id_ + ": " + stage_text_ + " took " + format_seconds(seconds));
    stage_text_.clear();
}

void ConsoleSyncObserver::warning(const std::string& repo_id, const std::string& text) {
    bar_.clear();
    console_.warning(repo_id + ": " + text);
}

void ConsoleSyncObserver::download_progress(const std::string&, const DownloadProgress& progress) {
    bar_.update({progress.files_done, progress.files_total, progress.bytes_done, progress.bytes_total,
                 progress.bytes_transferred, progress.files_failed});
}

}  // namespace chantal::cli
