// "Did you mean ...?": the known word a mistyped one most likely meant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chantal {

// The candidate closest to `word` (edit distance; `word` a prefix of a
// candidate counts as distance 1) when it is close enough to be a likely
// typo (distance at most max(2, length / 3)), else nothing. Ties go to the
// earlier candidate.
std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace chantal
