#include "core/base/relative_path.h"

namespace chantal {
namespace {

// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
bool starts_with_scheme(std::string_view path) {
    const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    std::size_t i = 0;
    while (i < path.size() && (is_alpha(path[i]) || (i > 0 && ((path[i] >= '0' && path[i] <= '9') || path[i] == '+' ||
                                                               path[i] == '-' || path[i] == '.'))))
        ++i;
    return i > 0 && i < path.size() && path[i] == ':';
}

}  // namespace

bool is_clean_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || starts_with_scheme(path)) return false;
    for (char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view segment = path.substr(start, end - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        start = end + 1;
    }
    return true;
}

}  // namespace chantal
