#include "metadata/rpm/href.h"

#include <vector>

#include "core/base/error.h"
#include "core/base/relative_path.h"
#include "core/base/url.h"

namespace chantal::metadata {

namespace {

struct UrlParts {
    std::string scheme;     // lowercased
    bool has_credentials = false;
    std::string authority;  // host[:port], lowercased, without credentials
    std::string path;       // as written (already URL-escaped)
};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowercase(std::string_view text) {
    std::string result(text);
    for (char& c : result) c = lower(c);
    return result;
}

bool is_scheme_char(char c, bool first) {
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (first) return alpha;
    return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Length of "scheme" when text starts with "scheme:", else 0.
std::size_t scheme_length(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && is_scheme_char(text[i], i == 0)) ++i;
    return (i > 0 && i < text.size() && text[i] == ':') ? i : 0;
}

bool has_control_or_backslash(std::string_view text) {
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == '\\') return true;
    }
    return false;
}

// Splits an absolute URL; false when it is not "scheme://...".
bool split_url(std::string_view url, UrlParts& parts) {
    std::size_t length = scheme_length(url);
    if (length == 0 || url.substr(length, 3) != "://") return false;
    parts.scheme = lowercase(url.substr(0, length));
    std::string_view rest = url.substr(length + 3);
    std::size_t path_start = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        parts.has_credentials = true;
        authority.remove_prefix(at + 1);
    }
    parts.authority = lowercase(authority);
    std::size_t query = path.find_first_of("?#");
    parts.path = std::string(path.substr(0, query));
    if (parts.path.empty()) parts.path = "/";
    return true;
}

// Checks an absolute URL (href or xml:base) against the feed; returns refused
// or outside_tree.
HrefClassification classify_absolute(std::string_view url, const UrlParts& feed, const char* what) {
    UrlParts parts;
    if (!split_url(url, parts)) return {HrefKind::refused, std::string(what) + " is not a URL this tool understands"};
    if (parts.scheme != feed.scheme)
        return {HrefKind::refused, std::string(what) + " switches scheme from " + feed.scheme + " to " + parts.scheme};
    if (parts.has_credentials) return {HrefKind::refused, std::string(what) + " carries credentials"};
    if (parts.authority != feed.authority) return {HrefKind::refused, std::string(what) + " names another host"};
    if (feed.scheme == "file") return {HrefKind::refused, std::string(what) + " points outside a file:// repository"};
    return {HrefKind::outside_tree, std::string(what) + " is an absolute URL"};
}

std::vector<std::string_view> split_segments(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    for (;;) {
        std::size_t slash = path.find('/', start);
        segments.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) return segments;
        start = slash + 1;
    }
}

// Repository bases (feed URLs and xml:base) always name directories.
std::string as_directory(std::string path) {
    if (path.empty() || path.back() != '/') path.push_back('/');
    return path;
}

// Removes "." and ".." segments (RFC 3986 5.2.4); ".." at the root stays at the root.
std::string remove_dot_segments(const std::vector<std::string>& segments, bool trailing_slash) {
    std::vector<const std::string*> kept;
    for (const std::string& segment : segments) {
        if (segment == ".") continue;
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
            continue;
        }
        kept.push_back(&segment);
    }
    std::string path;
    for (const std::string* segment : kept) path.append("/").append(*segment);
    if (trailing_slash || path.empty()) path.push_back('/');
    return path;
}


}  // namespace

HrefClassification classify_href(std::string_view href, std::string_view xml_base, std::string_view feed_url) {
    UrlParts feed;
    if (!split_url(feed_url, feed)) return {HrefKind::refused, "the feed is not an absolute URL"};
    if (href.empty()) return {HrefKind::refused, "empty href"};
    if (has_control_or_backslash(href) || has_control_or_backslash(xml_base))
        return {HrefKind::refused, "href contains control characters or a backslash"};
    bool base_is_feed = false;
    if (!xml_base.empty()) {
        UrlParts base;
        base_is_feed = split_url(xml_base, base) && base.scheme == feed.scheme && !base.has_credentials &&
                       base.authority == feed.authority && as_directory(base.path) == as_directory(feed.path);
        if (!base_is_feed) return classify_absolute(xml_base, feed, "xml:base");
    }
    if (scheme_length(href) > 0) return classify_absolute(href, feed, "href");
    if (href.substr(0, 2) == "//") return {HrefKind::refused, "href names another host (//host/...)"};
    if (href.front() == '/') {
        if (feed.scheme == "file") return {HrefKind::refused, "absolute href in a file:// repository"};
        return {HrefKind::outside_tree, "absolute href"};
    }
    if (is_clean_relative_path(href)) return {HrefKind::inside_tree, ""};
    int depth = 0;
    bool escapes = false;
    for (std::string_view segment : split_segments(href)) {
        if (segment == "..") {
            if (--depth < 0) escapes = true;
        } else if (!segment.empty() && segment != ".") {
            ++depth;
        }
    }
    if (escapes && feed.scheme == "file")
        return {HrefKind::refused, "href leaves the directory of a file:// repository"};
    return {HrefKind::outside_tree, escapes ? "href leaves the tree (..)" : "href is not a clean relative path"};
}

std::string percent_escape_path(std::string_view path) { return escape_url_path(path); }

std::string resolve_href(std::string_view feed_url, std::string_view href, std::string_view xml_base) {
    HrefClassification classification = classify_href(href, xml_base, feed_url);
    if (classification.kind == HrefKind::refused)
        throw Error::invalid_input("refusing location href \"" + percent_escape_path(href) + "\": " + classification.reason);
    if (scheme_length(href) > 0) return std::string(href);  // same scheme and host, already a URL
    std::string_view base_url = xml_base.empty() ? feed_url : xml_base;
    UrlParts base;
    split_url(base_url, base);
    std::vector<std::string> segments;
    if (href.front() != '/') {
        std::string directory = as_directory(base.path);
        for (std::string_view segment : split_segments(std::string_view(directory).substr(1)))
            segments.emplace_back(segment);
        segments.pop_back();  // the empty segment after the final '/'
    }
    std::string_view relative = href.front() == '/' ? href.substr(1) : href;
    for (std::string_view segment : split_segments(relative)) segments.push_back(percent_escape_path(segment));
    bool trailing_slash = !href.empty() && href.back() == '/';
    if (!segments.empty() && segments.back().empty()) segments.pop_back();
    std::string url = std::string(base_url.substr(0, scheme_length(base_url))) + "://";
    // Keep the authority exactly as the base wrote it (credentials of the feed included: the caller
    // strips them for display).
    std::string_view after_scheme = base_url.substr(scheme_length(base_url) + 3);
    url.append(after_scheme.substr(0, after_scheme.find_first_of("/?#")));
    url.append(remove_dot_segments(segments, trailing_slash));
    return url;
}

std::string_view href_file_name(std::string_view href) {
    std::size_t slash = href.rfind('/');
    return slash == std::string_view::npos ? href : href.substr(slash + 1);
}

bool is_safe_package_file_name(std::string_view file_name) {
    // A leading '.' would make the letter directory the dot segment ".".
    return !file_name.empty() && file_name.front() != '.' && file_name.find('/') == std::string_view::npos &&
           !has_control_or_backslash(file_name);
}

std::string generated_tree_path(std::string_view file_name) {
    if (!is_safe_package_file_name(file_name))
        throw Error::invalid_input("\"" + percent_escape_path(file_name) + "\" cannot be a package file name");
    std::size_t first_length = 1;
    auto lead = static_cast<unsigned char>(file_name[0]);
    if (lead >= 0xc0) {
        while (first_length < file_name.size() && (static_cast<unsigned char>(file_name[first_length]) & 0xc0) == 0x80)
            ++first_length;
    }
    std::string path = "Packages/";
    if (first_length == 1) path.push_back(lower(file_name[0]));
    else path.append(file_name.substr(0, first_length));
    path.push_back('/');
    path.append(file_name);
    return path;
}

}  // namespace chantal::metadata
