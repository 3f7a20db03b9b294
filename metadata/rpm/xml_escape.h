// Escaping of character data for the XML the metadata writers produce, in
// the same style as libxml2's serializer (and so createrepo_c):
// text escapes & < > and CR; attribute values also escape " TAB LF.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chantal::metadata {

void append_escaped_text(std::string& out, std::string_view text);
void append_escaped_attribute(std::string& out, std::string_view value);

}  // namespace chantal::metadata
