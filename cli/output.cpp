#include "cli/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "core/base/file_util.h"

namespace chantal::cli {
namespace {

// Display width, counting UTF-8 continuation bytes as nothing.
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    }));
}

std::string shorten(const std::string& text, std::size_t width) {
    if (display_width(text) <= width) return text;
    if (width == 0) return "";
    std::string result;
    std::size_t shown = 0;
    for (char c : text) {
        bool starts_character = (static_cast<unsigned char>(c) & 0xc0) != 0x80;
        if (starts_character && shown == width - 1) break;
        if (starts_character) ++shown;
        result += c;
    }
    return result + "…";
}

}  // namespace

void Table::print(std::ostream& out, std::size_t terminal_width) const {
    std::vector<std::size_t> widths(headers_.size(), 0);
    for (std::size_t i = 0; i < headers_.size(); ++i) widths[i] = display_width(headers_[i]);
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    const std::size_t gaps = 2 * (widths.empty() ? 0 : widths.size() - 1);
    std::size_t total = gaps;
    for (auto width : widths) total += width;
    // Shrink the widest columns until the table fits (never below 8 characters).
    while (terminal_width > 0 && total > terminal_width) {
        auto widest = std::max_element(widths.begin(), widths.end());
        if (*widest <= 8) break;
        --*widest;
        --total;
    }
    auto print_row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            std::string cell = shorten(i < cells.size() ? cells[i] : "", widths[i]);
            line += cell;
            if (i + 1 < widths.size()) line += std::string(widths[i] - display_width(cell) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    };
    print_row(headers_);
    for (const auto& row : rows_) print_row(row);
}

void KeyValueList::print(std::ostream& out) const {
    std::size_t width = 0;
    for (const auto& [key, value] : items_) width = std::max(width, display_width(key));
    for (const auto& [key, value] : items_)
        out << key << ':' << std::string(width - display_width(key) + 1, ' ') << value << '\n';
}

Console::Console(OutputFormat format, Verbosity verbosity)
    : format_(format),
      verbosity_(verbosity),
      stdout_terminal_(::isatty(STDOUT_FILENO) == 1),
      stderr_terminal_(::isatty(STDERR_FILENO) == 1) {}

std::size_t Console::terminal_width() const {
    if (!stdout_terminal_) return 0;  // pipes get full rows
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

void Console::print_json(const nlohmann::json& value) const {
    printed_result_ = true;
    std::cout << value.dump(2) << '\n';
}
void Console::print_table(const Table& table) const {
    printed_result_ = true;
    table.print(std::cout, terminal_width());
}
void Console::print_line(const std::string& text) const {
    printed_result_ = true;
    std::cout << text << '\n';
}
void Console::summary(const std::string& text) const {
    if (verbosity_ != Verbosity::quiet) print_line(text);
}

void Console::info(const std::string& text) const {
    if (verbosity_ != Verbosity::quiet && format_ == OutputFormat::table) std::cerr << text << std::endl;
}
void Console::detail(const std::string& text) const {
    if (verbosity_ == Verbosity::verbose) std::cerr << text << std::endl;
}
void Console::warning(const std::string& text) const {
    if (verbosity_ != Verbosity::quiet) std::cerr << "warning: " << text << std::endl;
}
void Console::error(const std::string& text) const { std::cerr << "error: " << text << std::endl; }

std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

std::string format_bytes(std::uint64_t bytes) {
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 5) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
    return text;
}

std::string format_time_or(const std::optional<std::int64_t>& unix_time, const std::string& fallback) {
    return unix_time ? format_utc_time(*unix_time) : fallback;
}

}  // namespace chantal::cli
