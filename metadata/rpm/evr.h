// RPM version comparison, exactly as rpm 4.18's rpmvercmp() and
// rpmverCmp() order versions. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chantal::metadata {

// Compares two version (or release) strings: -1, 0 or 1.
// Strings are split into runs of ASCII digits and runs of ASCII letters;
// other characters only separate. Numeric runs compare as numbers (leading
// zeros ignored) and are newer than alphabetic runs; '~' sorts before
// anything (1.0~rc1 < 1.0), '^' after the base but before any further
// segment (1.0 < 1.0^git1 < 1.0.1).
int rpmvercmp(std::string_view left, std::string_view right);

struct Evr {
    std::uint64_t epoch = 0;  // a missing epoch is 0
    std::string version;
    std::string release;
};

// Epoch numerically, then version, then release with rpmvercmp.
int compare_evr(const Evr& left, const Evr& right);

// Parses "[epoch:]version[-release]" (release after the last '-'); a
// missing or non-numeric epoch is 0.
Evr parse_evr(std::string_view text);

}  // namespace chantal::metadata
