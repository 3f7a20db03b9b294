// How the CLI speaks: tables or JSON on stdout, one "error: ..." line or
// "warning: ..." lines on stderr, verbosity from -v/-q.
//
// -q: only errors. Results a command was asked for (lists, `show`, diffs,
// problems found by a check) still go to stdout; the outcome lines of an
// action (summary(): "created snapshot ...", a sync's counts) do not, nor
// do info() and warning() lines on stderr.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace chantal::cli {

enum class OutputFormat { table, json };
enum class Verbosity { quiet, normal, verbose };

// Columns line up; when the terminal is narrower than the table, the widest
// column is shortened with "…" so rows stay on one line.
class Table {
public:
    explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
    void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
    bool empty() const { return rows_.empty(); }
    void print(std::ostream& out, std::size_t terminal_width) const;

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// A list of "key: value" lines, aligned (for `show` commands).
class KeyValueList {
public:
    void add(std::string key, std::string value) { items_.emplace_back(std::move(key), std::move(value)); }
    void print(std::ostream& out) const;

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

class Console {
public:
    Console(OutputFormat format, Verbosity verbosity);
    OutputFormat format() const { return format_; }
    bool json() const { return format_ == OutputFormat::json; }
    Verbosity verbosity() const { return verbosity_; }
    bool stdout_is_terminal() const { return stdout_terminal_; }
    bool stderr_is_terminal() const { return stderr_terminal_; }
    std::size_t terminal_width() const;

    void print_json(const nlohmann::json& value) const;      // pretty, to stdout
    void print_table(const Table& table) const;
    void print_line(const std::string& text) const;           // stdout
    // The outcome line of an action (sync, snapshot create, cleanup): stdout
    // unless -q.
    void summary(const std::string& text) const;
    // Whether anything went to stdout yet (main prints a JSON error result
    // only for a command that has not printed its own).
    bool printed_result() const { return printed_result_; }
    // Human progress/status lines to stderr in table mode; silent with -q or --format json.
    void info(const std::string& text) const;
    void detail(const std::string& text) const;  // only with -v
    void warning(const std::string& text) const; // "warning: ..." unless -q
    void error(const std::string& text) const;   // "error: ..." always

private:
    OutputFormat format_;
    Verbosity verbosity_;
    bool stdout_terminal_;
    bool stderr_terminal_;
    mutable bool printed_result_ = false;
};

// The items with `separator` between them: join({"a", "b"}, ", ") -> "a, b".
template <typename Items>
std::string join(const Items& items, std::string_view separator) {
    std::string text;
    for (const auto& item : items) {
        if (!text.empty()) text += separator;
        text += item;
    }
    return text;
}

std::string format_bytes(std::uint64_t bytes);        // "1.5 MiB"
std::string format_seconds(double seconds);           // "0.4 s"
std::string format_time_or(const std::optional<std::int64_t>& unix_time, const std::string& fallback);

}  // namespace chantal::cli
