// Debian package versions: "[epoch:]upstream_version[-debian_revision]", in
// dpkg's order (deb-version(7)). The comparison is libapt-pkg's, which is
// dpkg's; this file only splits and checks the text. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chantal::metadata {

struct DebianVersion {
    std::uint64_t epoch = 0;  // a missing epoch is 0
    std::string upstream;     // never empty
    std::string revision;     // after the last '-'; "" when there is none
};

// Splits a version as dpkg does, or says why it is not one: empty, blanks
// inside, an epoch that is not a number (or larger than dpkg allows), an
// empty upstream part, an upstream part that does not start with a digit, or
// a character dpkg does not allow (upstream: alphanumerics and ".+-~:" (':'
// only after an epoch); revision: alphanumerics and ".+~").
// On success returns the parts; otherwise sets *problem (when given).
std::optional<DebianVersion> parse_debian_version(std::string_view text, std::string* problem = nullptr);

// Orders two versions as `dpkg --compare-versions`: negative, 0 or
// positive. Well-formed input is expected; anything else still compares
// without failing (by libapt-pkg's rules), so hostile data cannot crash it.
int compare_debian_versions(std::string_view left, std::string_view right);

// "epoch:upstream-revision" with the parts that are present (the epoch
// also when 0 if the upstream part holds a ':', so that it reads back equal).
std::string format_debian_version(const DebianVersion& version);

}  // namespace chantal::metadata
