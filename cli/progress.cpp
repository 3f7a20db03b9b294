#include "cli/progress.h"

namespace chantal::cli {

void ConsoleSyncObserver::stage(const std::string& repo_id, const std::string& text) {
    bar_.restart(repo_id);
    console_.info(repo_id + ": " + text);
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
