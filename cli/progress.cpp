#include "cli/progress.h"

#include <cstdio>
#include <iostream>

namespace chantal::cli {

std::string format_duration(double seconds) {
    long total = static_cast<long>(seconds + 0.5);
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

bool ConsoleSyncObserver::show_bar() const {
    return console_.stderr_is_terminal() && !console_.json() && console_.verbosity() != Verbosity::quiet;
}

void ConsoleSyncObserver::end_bar() {
    if (bar_visible_) {
        std::cerr << "\r\033[K" << std::flush;
        bar_visible_ = false;
    }
}

void ConsoleSyncObserver::stage(const std::string& repo_id, const std::string& text) {
    end_bar();
    console_.info(repo_id + ": " + text);
    started_ = std::chrono::steady_clock::now();
}

void ConsoleSyncObserver::warning(const std::string& repo_id, const std::string& text) {
    end_bar();
    console_.warning(repo_id + ": " + text);
}

void ConsoleSyncObserver::download_progress(const std::string& repo_id, const DownloadProgress& progress) {
    if (!show_bar()) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double rate = elapsed > 0.2 ? static_cast<double>(progress.bytes_transferred) / elapsed : 0;
    const std::uint64_t remaining =
        progress.bytes_total > progress.bytes_done ? progress.bytes_total - progress.bytes_done : 0;
    const int width = 24;
    const double fraction = progress.bytes_total > 0
                                ? static_cast<double>(progress.bytes_done) / static_cast<double>(progress.bytes_total)
                                : (progress.files_total ? static_cast<double>(progress.files_done) / progress.files_total : 0);
    const int filled = static_cast<int>(std::min(1.0, fraction) * width);
    std::string line = "\r\033[K" + repo_id + " [" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
                       std::to_string(progress.files_done) + "/" + std::to_string(progress.files_total) + " files  " +
                       format_bytes(progress.bytes_done) + "/" + format_bytes(progress.bytes_total) + "  " +
                       format_bytes(static_cast<std::uint64_t>(rate)) + "/s";
    if (rate > 0) line += "  ETA " + format_duration(static_cast<double>(remaining) / rate);
    if (progress.files_failed) line += "  " + std::to_string(progress.files_failed) + " failed";
    std::cerr << line << std::flush;
    bar_visible_ = true;
}

}  // namespace chantal::cli
