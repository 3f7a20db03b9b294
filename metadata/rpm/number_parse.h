// Strict parsing of the decimal numbers metadata attributes carry.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace chantal::metadata {

// Decimal digits only (no sign, no spaces), fitting in 64 bits; nullopt
// otherwise. The empty string is nullopt.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);
// Like parse_unsigned, with an optional leading '-'.
std::optional<std::int64_t> parse_signed(std::string_view text);

}  // namespace chantal::metadata
