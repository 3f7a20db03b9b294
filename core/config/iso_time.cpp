#include "core/config/iso_time.h"

#include <chrono>

namespace chantal {
namespace {

// Reads exactly `digits` decimal digits at `at`, advancing it.
std::optional<int> read_number(std::string_view text, std::size_t& at, std::size_t digits) {
    if (at + digits > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    at += digits;
    return value;
}

bool consume(std::string_view text, std::size_t& at, char expected) {
    if (at >= text.size() || text[at] != expected) return false;
    ++at;
    return true;
}

// Seconds east of UTC of a zone suffix starting at `at` ("" is UTC).
std::optional<int> read_zone(std::string_view text, std::size_t& at) {
    if (at == text.size()) return 0;
    if (text[at] == 'Z' || text[at] == 'z') return ++at == text.size() ? std::optional<int>(0) : std::nullopt;
    if (text[at] != '+' && text[at] != '-') return std::nullopt;
    const int sign = text[at++] == '-' ? -1 : 1;
    const auto hours = read_number(text, at, 2);
    consume(text, at, ':');
    const auto minutes = read_number(text, at, 2);
    if (!hours || !minutes || *hours > 23 || *minutes > 59 || at != text.size()) return std::nullopt;
    return sign * (*hours * 3600 + *minutes * 60);
}

}  // namespace

std::optional<std::int64_t> parse_iso_time(std::string_view text) {
    std::size_t at = 0;
    const auto year = read_number(text, at, 4);
    if (!year || !consume(text, at, '-')) return std::nullopt;
    const auto month = read_number(text, at, 2);
    if (!month || !consume(text, at, '-')) return std::nullopt;
    const auto day = read_number(text, at, 2);
    if (!day) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    std::int64_t seconds = std::chrono::sys_days(date).time_since_epoch().count() * std::int64_t{86400};
    if (at == text.size()) return seconds;
    if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return std::nullopt;
    ++at;
    const auto hour = read_number(text, at, 2);
    if (!hour || !consume(text, at, ':')) return std::nullopt;
    const auto minute = read_number(text, at, 2);
    if (!minute) return std::nullopt;
    int second = 0;
    if (consume(text, at, ':')) {
        const auto read = read_number(text, at, 2);
        if (!read) return std::nullopt;
        second = *read;
        if (consume(text, at, '.')) {
            const std::size_t fraction_start = at;
            while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
            if (at == fraction_start) return std::nullopt;
        }
    }
    if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;
    const auto zone = read_zone(text, at);
    if (!zone) return std::nullopt;
    return seconds + *hour * 3600 + *minute * 60 + second - *zone;
}

std::int64_t start_of_utc_day(std::int64_t unix_seconds) {
    const std::int64_t day = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
    return day * 86400;
}

}  // namespace chantal
