// Paths that upstream data gives for files inside a tree (an index's
// package path, a Release file's index list). Pure functions, thread-safe.
#pragma once

#include <string_view>

namespace chantal {

// A clean relative path: not empty, not absolute, not starting with a URL
// scheme ("http:..."), no "", "." or ".." segment, no backslash and no
// control character (bytes below 0x20, 0x7f). Such a path names a file
// inside the tree it is relative to, and only that, and reads the same as a
// URL relative to the tree's URL.
bool is_clean_relative_path(std::string_view path);

}  // namespace chantal
