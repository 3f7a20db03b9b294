#include "metadata/xml_escape.h"

namespace chantal::metadata {

namespace {

// Appends text, replacing each byte for which replacement() is non-null.
template <typename Replacement>
void append_replacing(std::string& out, std::string_view text, Replacement replacement) {
    std::size_t clean_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char* escaped = replacement(text[i]);
        if (escaped == nullptr) continue;
        out.append(text.data() + clean_start, i - clean_start);
        out.append(escaped);
        clean_start = i + 1;
    }
    out.append(text.data() + clean_start, text.size() - clean_start);
}

}  // namespace

void append_escaped_text(std::string& out, std::string_view text) {
    append_replacing(out, text, [](char c) -> const char* {
        switch (c) {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '\r': return "&#13;";
            default: return nullptr;
        }
    });
}

void append_escaped_attribute(std::string& out, std::string_view value) {
    append_replacing(out, value, [](char c) -> const char* {
        switch (c) {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '"': return "&quot;";
            case '\t': return "&#9;";
            case '\n': return "&#10;";
            case '\r': return "&#13;";
            default: return nullptr;
        }
    });
}

}  // namespace chantal::metadata
