#include "metadata/rpm/treeinfo.h"

#include <set>

#include "core/base/error.h"
#include "core/base/relative_path.h"
#include "metadata/rpm/href.h"

namespace chantal::metadata {
namespace {

constexpr std::string_view kChecksumsSection = "checksums";
constexpr std::string_view kVariantPrefix = "variant-";
constexpr std::string_view kSha256Prefix = "sha256:";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool has_control_byte(std::string_view line) {
    for (char c : line) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t') || byte == 0x7f) return true;
    }
    return false;
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// "sha256:HEX" -> lowercase hex; nullopt for anything else.
std::optional<std::string> sha256_of(std::string_view value) {
    if (!value.starts_with(kSha256Prefix)) return std::nullopt;
    std::string hex(value.substr(kSha256Prefix.size()));
    if (hex.size() != 64) return std::nullopt;
    for (char& c : hex) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!is_lower_hex(c)) return std::nullopt;
    }
    return hex;
}

// Reads the file line by line into a Treeinfo; one instance per parse.
class TreeinfoReader {
public:
    explicit TreeinfoReader(std::string_view name) : name_(name) {}

    Treeinfo read(std::string_view text) {
        if (text.size() > kMaximumTreeinfoSize)
            throw Error::invalid_input(std::string(name_) + ": larger than " + std::to_string(kMaximumTreeinfoSize) +
                                       " bytes");
        while (!text.empty()) {
            ++line_number_;
            const auto end = text.find('\n');
            std::string_view line = text.substr(0, end);
            text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
            if (line.ends_with('\r')) line.remove_suffix(1);
            read_line(line);
        }
        return std::move(treeinfo_);
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw Error::invalid_input(std::string(name_) + ":" + std::to_string(line_number_) + ": " + problem);
    }

    void read_line(std::string_view line) {
        if (has_control_byte(line)) fail("control character");
        if (trim(line).empty()) return;
        if (line.front() == '#' || line.front() == ';') return;
        if (line.front() == ' ' || line.front() == '\t') fail("continuation lines are not accepted");
        if (line.front() == '[') return open_section(trim(line));
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) fail("expected [section] or key = value");
        const std::string_view key = trim(line.substr(0, equals));
        const std::string_view value = trim(line.substr(equals + 1));
        if (key.empty()) fail("empty key");
        if (section_.empty()) fail("key '" + std::string(key) + "' outside a section");
        if (!keys_.insert(std::string(key)).second)
            fail("key '" + std::string(key) + "' repeated in [" + section_ + "]");
        add_entry(key, value);
    }

    void open_section(std::string_view header) {
        if (header.size() < 3 || header.back() != ']') fail("malformed section header");
        std::string section(header.substr(1, header.size() - 2));
        if (section.find_first_of("[]") != std::string::npos || trim(section) != section || section.empty())
            fail("malformed section header");
        if (!sections_.insert(section).second) fail("section [" + section + "] repeated");
        keys_.clear();
        section_ = std::move(section);
        if (section_.starts_with(kVariantPrefix))
            treeinfo_.variants.push_back({section_.substr(kVariantPrefix.size()), std::nullopt, std::nullopt});
    }

    void add_entry(std::string_view key, std::string_view value) {
        if (section_ == kChecksumsSection) return add_file(key, value);
        if (!section_.starts_with(kVariantPrefix)) return;
        if (key == "repository") treeinfo_.variants.back().repository = std::string(value);
        if (key == "packages") treeinfo_.variants.back().packages = std::string(value);
    }

    void add_file(std::string_view path, std::string_view value) {
        if (!is_clean_relative_path(path))
            fail("refusing path '" + std::string(path) +
                 "' in [checksums]: not a clean relative path inside the tree (no '..', no leading '/', no empty "
                 "segment)");
        if (path == ".treeinfo") fail("[checksums] lists .treeinfo itself");
        auto sha256 = sha256_of(value);
        if (!sha256) fail("checksum of '" + std::string(path) + "' is not sha256:<64 hex digits>");
        treeinfo_.files.push_back({std::string(path), std::move(*sha256)});
    }

    std::string_view name_;
    std::size_t line_number_ = 0;
    std::string section_;  // the current section's name; "" before the first (a name is never empty)
    std::set<std::string> sections_;
    std::set<std::string> keys_;  // of the current section
    Treeinfo treeinfo_;
};

}  // namespace

Treeinfo parse_treeinfo(std::string_view text, std::string_view name) { return TreeinfoReader(name).read(text); }

bool fits_generated_layout(const Treeinfo& treeinfo) {
    for (const auto& variant : treeinfo.variants) {
        if (variant.repository && *variant.repository != ".") return false;
        if (variant.packages && *variant.packages != "Packages") return false;
    }
    return true;
}

}  // namespace chantal::metadata
