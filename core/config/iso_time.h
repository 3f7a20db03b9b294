// ISO 8601 dates and datetimes as config values (filters.metadata.build_time).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace chantal {

// Unix seconds of "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]"
// with an optional zone "Z", "+HH:MM", "-HH:MM" or "+HHMM" (none: UTC). The
// fraction is dropped. nullopt for anything else, including impossible dates
// (2024-02-30) and times (24:00).
std::optional<std::int64_t> parse_iso_time(std::string_view text);

// The unix seconds of midnight UTC of the day that holds `unix_seconds`.
std::int64_t start_of_utc_day(std::int64_t unix_seconds);

}  // namespace chantal
