#include "metadata/deb/debian_version.h"

#include <apt-pkg/debversion.h>

#include <limits>

namespace chantal::metadata {
namespace {

bool is_ascii_alphanumeric(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool allowed_in(std::string_view part, std::string_view punctuation) {
    for (char c : part)
        if (!is_ascii_alphanumeric(c) && punctuation.find(c) == std::string_view::npos) return false;
    return true;
}

std::optional<DebianVersion> refuse(std::string* problem, std::string message) {
    if (problem) *problem = std::move(message);
    return std::nullopt;
}

}  // namespace

std::optional<DebianVersion> parse_debian_version(std::string_view text, std::string* problem) {
    if (text.empty()) return refuse(problem, "version is empty");
    if (text.find_first_of(" \t\r\n") != std::string_view::npos) return refuse(problem, "version has blanks inside");

    DebianVersion version;
    std::string_view rest = text;
    bool has_epoch = false;
    if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
        const std::string_view epoch = rest.substr(0, colon);
        if (epoch.empty()) return refuse(problem, "epoch is empty");
        std::uint64_t value = 0;
        for (char c : epoch) {
            if (c < '0' || c > '9') return refuse(problem, "epoch is not a number");
            value = value * 10 + static_cast<std::uint64_t>(c - '0');
            // dpkg keeps the epoch in an int.
            if (value > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
                return refuse(problem, "epoch is too large");
        }
        version.epoch = value;
        rest = rest.substr(colon + 1);
        has_epoch = true;
    }
    std::string_view upstream = rest;
    if (const auto dash = rest.rfind('-'); dash != std::string_view::npos) {
        upstream = rest.substr(0, dash);
        const std::string_view revision = rest.substr(dash + 1);
        if (revision.empty()) return refuse(problem, "revision is empty");
        if (!allowed_in(revision, ".+~")) return refuse(problem, "invalid character in revision");
        version.revision = revision;
    }
    if (upstream.empty()) return refuse(problem, "upstream version is empty");
    if (upstream.front() < '0' || upstream.front() > '9')
        return refuse(problem, "upstream version does not start with a digit");
    if (!allowed_in(upstream, has_epoch ? ".+-~:" : ".+-~"))
        return refuse(problem, "invalid character in upstream version");
    version.upstream = upstream;
    return version;
}

int compare_debian_versions(std::string_view left, std::string_view right) {
    return debVS.DoCmpVersion(left.data(), left.data() + left.size(), right.data(), right.data() + right.size());
}

std::string format_debian_version(const DebianVersion& version) {
    std::string text;
    // An upstream part with a ':' needs its epoch written, even 0: without
    // it the text before the ':' would be read as the epoch.
    if (version.epoch != 0 || version.upstream.find(':') != std::string::npos)
        text = std::to_string(version.epoch) + ":";
    text += version.upstream;
    if (!version.revision.empty()) text += "-" + version.revision;
    return text;
}

}  // namespace chantal::metadata
