#include "metadata/rpm/number_parse.h"

#include <charconv>
#include <limits>

namespace chantal::metadata {

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_signed(std::string_view text) {
    bool negative = !text.empty() && text.front() == '-';
    std::optional<std::uint64_t> magnitude = parse_unsigned(negative ? text.substr(1) : text);
    if (!magnitude) return std::nullopt;
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (*magnitude > max + (negative ? 1 : 0)) return std::nullopt;
    if (negative) return static_cast<std::int64_t>(0 - *magnitude);
    return static_cast<std::int64_t>(*magnitude);
}

}  // namespace chantal::metadata
