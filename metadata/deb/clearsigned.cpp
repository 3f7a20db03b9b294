#include "metadata/deb/clearsigned.h"

#include "core/base/error.h"

namespace chantal::metadata {
namespace {

constexpr std::string_view kBegin = "-----BEGIN PGP SIGNED MESSAGE-----";
constexpr std::string_view kSignatureBegin = "-----BEGIN PGP SIGNATURE-----";
constexpr std::string_view kSignatureEnd = "-----END PGP SIGNATURE-----";

// Splits off the next line (without its '\n' or "\r\n"); false at the end.
bool next_line(std::string_view& rest, std::string_view& line) {
    if (rest.empty()) return false;
    const auto end = rest.find('\n');
    line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

}  // namespace

bool looks_clearsigned(std::string_view data) {
    std::string_view line;
    while (next_line(data, line))
        if (!blank(line)) return line == kBegin;
    return false;
}

std::string clearsigned_text(std::string_view message, const std::string& source_name) {
    auto fail = [&](const std::string& why) { return Error::corrupt(source_name + ": not a clearsigned message: " + why); };
    std::string_view rest = message, line;
    bool begun = false;
    while (next_line(rest, line)) {
        if (blank(line)) continue;
        if (line != kBegin) throw fail("text before '" + std::string(kBegin) + "'");
        begun = true;
        break;
    }
    if (!begun) throw fail("no '" + std::string(kBegin) + "' line");
    while (true) {  // armor headers ("Hash: SHA512") up to an empty line
        if (!next_line(rest, line)) throw fail("it ends in its armor headers");
        if (line.empty()) break;
        if (line.find(": ") == std::string_view::npos) throw fail("a malformed armor header line");
    }
    std::string text;
    bool signature = false;
    while (next_line(rest, line)) {
        if (line == kSignatureBegin) {
            signature = true;
            break;
        }
        if (line.starts_with("- ")) line.remove_prefix(2);
        else if (line.starts_with("-")) throw fail("a line starting with '-' that is not dash-escaped");
        text.append(line).push_back('\n');
    }
    if (!signature) throw fail("no signature block");
    bool ended = false;
    while (next_line(rest, line)) {
        if (line == kSignatureEnd) {
            ended = true;
            break;
        }
        if (line.starts_with("-----")) throw fail("an armor line inside the signature block");
    }
    if (!ended) throw fail("the signature block has no END line");
    while (next_line(rest, line))
        if (!blank(line)) throw fail("text after the signature block");
    return text;
}

}  // namespace chantal::metadata
