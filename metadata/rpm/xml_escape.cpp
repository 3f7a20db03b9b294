#include "metadata/rpm/xml_escape.h"

namespace chantal::metadata {

namespace {

// Appends text, replacing each byte marked in `special` by replacement(byte).
// Runs of ordinary bytes are found with a table lookup and appended at once.
template <typename Replacement>
void append_replacing(std::string& out, std::string_view text, const bool (&special)[256], Replacement replacement) {
    const char* data = text.data();
    const std::size_t size = text.size();
    std::size_t clean_start = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (!special[static_cast<unsigned char>(data[i])]) continue;
        out.append(data + clean_start, i - clean_start);
        out.append(replacement(data[i]));
        clean_start = i + 1;
    }
    out.append(data + clean_start, size - clean_start);
}

struct SpecialBytes {
    bool text[256] = {};
    bool attribute[256] = {};
    constexpr SpecialBytes() {
        for (unsigned char c : {'&', '<', '>', '\r'}) text[c] = attribute[c] = true;
        for (unsigned char c : {'"', '\t', '\n'}) attribute[c] = true;
    }
};
constexpr SpecialBytes kSpecial;

}  // namespace

void append_escaped_text(std::string& out, std::string_view text) {
    append_replacing(out, text, kSpecial.text, [](char c) -> const char* {
        switch (c) {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '\r': return "&#13;";
            default: return "";
        }
    });
}

void append_escaped_attribute(std::string& out, std::string_view value) {
    append_replacing(out, value, kSpecial.attribute, [](char c) -> const char* {
        switch (c) {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '"': return "&quot;";
            case '\t': return "&#9;";
            case '\n': return "&#10;";
            case '\r': return "&#13;";
            default: return "";
        }
    });
}

}  // namespace chantal::metadata
