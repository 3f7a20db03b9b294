#include "cli/progress_bar.h"

#include <algorithm>
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

ProgressBar::ProgressBar(const Console& console, std::string label)
    : visible_(console.stderr_is_terminal() && !console.json() && console.verbosity() != Verbosity::quiet),
      label_(std::move(label)) {}

void ProgressBar::restart(std::string label) {
    clear();
    label_ = std::move(label);
    started_ = std::chrono::steady_clock::now();
}

void ProgressBar::clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
}

void ProgressBar::update(const ProgressCounts& counts) {
    if (!visible_) return;
    const auto now = std::chrono::steady_clock::now();
    const bool finished = counts.files_done >= counts.files_total;
    if (shown_ && !finished && now - last_drawn_ < std::chrono::milliseconds(100)) return;
    last_drawn_ = now;

    const double fraction =
        counts.bytes_total ? static_cast<double>(counts.bytes_done) / static_cast<double>(counts.bytes_total)
        : counts.files_total ? static_cast<double>(counts.files_done) / static_cast<double>(counts.files_total)
                             : 1.0;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * kWidth);
    std::string line = "\r\033[K" + label_ + " [" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] " +
                       std::to_string(counts.files_done) + "/" + std::to_string(counts.files_total) + " files";
    if (counts.bytes_total) line += "  " + format_bytes(counts.bytes_done) + "/" + format_bytes(counts.bytes_total);
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const std::uint64_t moved = counts.bytes_transferred ? counts.bytes_transferred : counts.bytes_done;
    if (elapsed > 0.5 && moved > 0) {
        const double rate = static_cast<double>(moved) / elapsed;
        line += "  " + format_bytes(static_cast<std::uint64_t>(rate)) + "/s";
        if (counts.bytes_total > counts.bytes_done)
            line += "  ETA " + format_duration(static_cast<double>(counts.bytes_total - counts.bytes_done) / rate);
    }
    if (counts.files_failed) line += "  " + std::to_string(counts.files_failed) + " failed";
    std::cerr << line << std::flush;
    shown_ = true;
}

}  // namespace chantal::cli
