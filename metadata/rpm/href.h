// Location hrefs are data, never local paths. This file classifies an href
// (with its optional xml:base) relative to the repository's feed URL,
// resolves it to a URL against the feed, and computes the path a package
// gets in a generated tree. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chantal::metadata {

enum class HrefKind {
    // A clean relative path (no "", "." or ".." segment, no scheme, not
    // absolute): a mirror tree can present the file at exactly this path.
    inside_tree,
    // Resolvable as a URL on the feed's own server, but not a clean path
    // inside the tree ("../x.rpm", "/pub/x.rpm", "a//b.rpm", an absolute URL
    // or xml:base on the same scheme and host): the caller downloads it by
    // URL and falls back to a generated tree, with a warning.
    outside_tree,
    // Must not be fetched at all: another scheme (file:// from an http feed),
    // credentials (user:pass@), another host, control characters, a
    // backslash, or — for file:// feeds — anything that leaves the feed's
    // directory (that would read arbitrary local files).
    refused,
};

struct HrefClassification {
    HrefKind kind = HrefKind::refused;
    std::string reason;  // why, for outside_tree and refused ("" for inside_tree)
};

// feed_url: the repository's base URL (http://, https:// or file://), with or
// without a trailing slash. xml_base: the <location xml:base>, "" if none.
HrefClassification classify_href(std::string_view href, std::string_view xml_base, std::string_view feed_url);

// The URL to download an href from: resolved against xml_base when given,
// else against the feed URL (as a directory), dot segments removed, and each
// href path byte outside [A-Za-z0-9-._~/] percent-escaped like librepo does
// (curl_easy_escape per path segment): "+" -> %2B, "%" -> %25, " " -> %20,
// "^" -> %5E. A query or fragment of the base is dropped. Throws
// Error::invalid_input (message without credentials) for refused hrefs.
std::string resolve_href(std::string_view feed_url, std::string_view href, std::string_view xml_base = {});

// Percent-escapes every byte of `path` outside [A-Za-z0-9-._~/] (core/base/url.h escape_url_path).
std::string percent_escape_path(std::string_view path);


// The last path segment of an href ("Packages/a/b.rpm" -> "b.rpm").
std::string_view href_file_name(std::string_view href);

// True when a generated tree can hold a package file of this name: not "",
// not starting with '.' (".", "..", ".x.rpm": the letter directory would be
// a dot segment), and no '/', '\\' or control characters.
bool is_safe_package_file_name(std::string_view file_name);

// "Packages/<first character of file_name, ASCII-lowercased>/<file_name>".
// A non-ASCII first character is kept whole (all its UTF-8 bytes). Throws
// Error::invalid_input unless is_safe_package_file_name(file_name).
std::string generated_tree_path(std::string_view file_name);

}  // namespace chantal::metadata
