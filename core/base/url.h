// URL helpers for downloads: building feed URLs from repodata paths and
// printing URLs without secrets.
//
// All functions are pure (no I/O, no libcurl), thread-safe, and work on
// byte strings: no locale, no IDN handling.
#pragma once

#include <string>
#include <string_view>

namespace chantal {

// Lowercased scheme of an absolute URL ("https", "file"), or "" when url has
// no "scheme://" prefix.
std::string url_scheme(std::string_view url);

// The URL as it may be shown to a human or written to a log: user:password@
// removed from the authority, query string and fragment dropped (they often
// carry signed tokens). "https://u:p@cdn/x.rpm?tok=1" -> "https://cdn/x.rpm".
std::string redact_url(std::string_view url);

// Scrubs free text (e.g. a libcurl error message) of credentials: every
// "scheme://user:pass@host" inside it loses its "user:pass@" part.
std::string redact_urls_in_text(std::string_view text);

// Percent-escapes a relative path (as repodata's location href writes it,
// unescaped) for use in a URL: every byte except the RFC 3986 unreserved
// characters (A-Z a-z 0-9 - . _ ~) and '/' becomes %XX, so '+', '%', ' '
// and non-ASCII bytes survive every server. "a b+c%.rpm" -> "a%20b%2Bc%25.rpm".
std::string escape_url_path(std::string_view relative_path);

// base_url joined with an unescaped relative path: exactly one '/' between
// them, the path escaped with escape_url_path. The base's own query string is
// not supported (the caller passes a feed URL without one).
// join_url("https://h/repo", "Packages/a+b.rpm") -> "https://h/repo/Packages/a%2Bb.rpm".
std::string join_url(std::string_view base_url, std::string_view relative_path);

}  // namespace chantal
