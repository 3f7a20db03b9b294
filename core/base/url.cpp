#include "core/base/url.h"

namespace chantal {
namespace {

// ASCII only: the result must not depend on the process locale.
bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_scheme_char(char c) { return is_ascii_alnum(c) || c == '+' || c == '-' || c == '.'; }

// Position just after "scheme://" when text[start...] begins with a scheme,
// else npos.
std::size_t authority_start(std::string_view url) {
    std::size_t separator = url.find("://");
    if (separator == std::string_view::npos || separator == 0) return std::string_view::npos;
    for (std::size_t i = 0; i < separator; ++i)
        if (!is_scheme_char(url[i])) return std::string_view::npos;
    return separator + 3;
}

// Removes "user:pass@" from the authority that starts at `start`.
std::string strip_userinfo(std::string_view url, std::size_t start) {
    std::size_t authority_end = url.find_first_of("/?#", start);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    std::size_t at = url.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
    std::string out(url.substr(0, start));
    if (at != std::string_view::npos && at >= start && at < authority_end)
        out.append(url.substr(at + 1));
    else
        out.append(url.substr(start));
    return out;
}

}  // namespace

std::string url_scheme(std::string_view url) {
    std::size_t start = authority_start(url);
    if (start == std::string_view::npos) return {};
    std::string scheme(url.substr(0, start - 3));
    for (char& c : scheme)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return scheme;
}

std::string redact_url(std::string_view url) {
    std::size_t cut = url.find_first_of("?#");
    if (cut != std::string_view::npos) url = url.substr(0, cut);
    std::size_t start = authority_start(url);
    if (start == std::string_view::npos) return std::string(url);
    return strip_userinfo(url, start);
}

std::string redact_urls_in_text(std::string_view text) {
    std::string out;
    std::size_t done = 0;
    for (std::size_t found = text.find("://"); found != std::string_view::npos; found = text.find("://", found + 3)) {
        std::size_t start = found + 3;
        std::size_t authority_end = text.find_first_of("/?# \t\r\n'\"<>", start);
        if (authority_end == std::string_view::npos) authority_end = text.size();
        std::string_view authority = text.substr(start, authority_end - start);
        std::size_t at = authority.rfind('@');
        if (at == std::string_view::npos) continue;
        out.append(text.substr(done, start - done));
        done = start + at + 1;
    }
    out.append(text.substr(done));
    return out;
}

std::string escape_url_path(std::string_view relative_path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(relative_path.size());
    for (char c : relative_path) {
        auto byte = static_cast<unsigned char>(c);
        if (is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

std::string join_url(std::string_view base_url, std::string_view relative_path) {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    while (!relative_path.empty() && relative_path.front() == '/') relative_path.remove_prefix(1);
    std::string out(base_url);
    out.push_back('/');
    out.append(escape_url_path(relative_path));
    return out;
}

}  // namespace chantal
