#include "metadata/deb/release_file.h"

#include <apt-pkg/strutl.h>

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/relative_path.h"
#include "metadata/deb/deb822.h"

namespace chantal::metadata {
namespace {

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t start = text.find_first_not_of(" \t\n", position);
        if (start == std::string_view::npos) break;
        std::size_t end = text.find_first_of(" \t\n", start);
        if (end == std::string_view::npos) end = text.size();
        words.emplace_back(text.substr(start, end - start));
        position = end;
    }
    return words;
}

bool is_lower_hex(std::string_view text) {
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

const ReleaseIndexEntry* ReleaseFile::find(std::string_view path) const {
    for (const auto& entry : files)
        if (entry.path == path) return &entry;
    return nullptr;
}

ReleaseFile parse_release(std::string_view text, const std::string& source_name) {
    std::optional<ReleaseFile> release;
    read_deb822(text, source_name, [&](const Deb822Stanza& stanza) {
        if (release) return;  // apt reads the first stanza only
        ReleaseFile result;
        auto fail = [&](const std::string& what) {
            throw Error::corrupt(source_name + ": line " + std::to_string(stanza.line) + ": " + what);
        };
        auto text_of = [&](std::string_view name) { return std::string(stanza.find(name).value_or("")); };
        auto date_of = [&](std::string_view name) -> std::optional<std::int64_t> {
            const auto value = stanza.find(name);
            if (!value) return std::nullopt;
            time_t parsed = 0;
            if (!RFC1123StrToTime(std::string(*value), parsed))
                fail(std::string(name) + " is not an RFC 1123 date: '" + std::string(*value) + "'");
            return static_cast<std::int64_t>(parsed);
        };
        auto yes = [&](std::string_view name) { return stanza.find(name).value_or("") == "yes"; };
        result.origin = text_of("Origin");
        result.label = text_of("Label");
        result.suite = text_of("Suite");
        result.codename = text_of("Codename");
        result.version = text_of("Version");
        result.description = text_of("Description");
        result.date = date_of("Date");
        result.valid_until = date_of("Valid-Until");
        result.architectures = split_words(stanza.find("Architectures").value_or(""));
        result.components = split_words(stanza.find("Components").value_or(""));
        result.acquire_by_hash = yes("Acquire-By-Hash");
        result.not_automatic = yes("NotAutomatic");
        result.but_automatic_upgrades = yes("ButAutomaticUpgrades");

        const auto sums = stanza.find("SHA256");
        if (!sums) fail("no SHA256 field (MD5Sum and SHA1 alone are not trusted)");
        std::unordered_set<std::string> seen;
        std::size_t position = 0;
        while (position < sums->size()) {
            std::size_t end = sums->find('\n', position);
            if (end == std::string_view::npos) end = sums->size();
            const std::string_view line = sums->substr(position, end - position);
            position = end + 1;
            const auto words = split_words(line);
            if (words.empty()) continue;  // the field's first line is usually empty
            if (words.size() != 3 || words[0].size() != 64 || !is_lower_hex(words[0]))
                fail("SHA256 line is not '<sha256> <size> <path>': '" + std::string(line) + "'");
            ReleaseIndexEntry entry;
            entry.sha256 = words[0];
            const auto& size = words[1];
            const auto [end_of_number, error] = std::from_chars(size.data(), size.data() + size.size(), entry.size);
            if (error != std::errc() || end_of_number != size.data() + size.size())
                fail("SHA256 line has a bad size: '" + std::string(line) + "'");
            if (!is_clean_relative_path(words[2]))
                fail("index path leaves the distribution directory or is not clean: '" + words[2] + "'");
            entry.path = words[2];
            if (!seen.insert(entry.path).second) fail("index path listed twice: '" + entry.path + "'");
            result.files.push_back(std::move(entry));
        }
        release = std::move(result);
    });
    if (!release) throw Error::corrupt(source_name + ": empty Release file");
    return std::move(*release);
}

}  // namespace chantal::metadata

namespace chantal::metadata {

std::string write_release(const ReleaseFile& release) {
    std::string text;
    auto field = [&](std::string_view name, std::string_view value) {
        if (value.empty()) return;
        if (value.find_first_of("\r\n") != std::string_view::npos)
            throw Error::invalid_input("Release field " + std::string(name) + " must be one line");
        text.append(name).append(": ").append(value).push_back('\n');
    };
    auto date = [&](std::string_view name, const std::optional<std::int64_t>& value) {
        if (value) field(name, TimeRFC1123(static_cast<time_t>(*value), false));
    };
    auto words = [](const std::vector<std::string>& list) {
        std::string joined;
        for (const auto& word : list) joined.append(joined.empty() ? "" : " ").append(word);
        return joined;
    };
    field("Origin", release.origin);
    field("Label", release.label);
    field("Suite", release.suite);
    field("Version", release.version);
    field("Codename", release.codename);
    date("Date", release.date);
    date("Valid-Until", release.valid_until);
    if (release.not_automatic) field("NotAutomatic", "yes");
    if (release.but_automatic_upgrades) field("ButAutomaticUpgrades", "yes");
    if (release.acquire_by_hash) field("Acquire-By-Hash", "yes");
    field("Architectures", words(release.architectures));
    field("Components", words(release.components));
    field("Description", release.description);
    std::vector<const ReleaseIndexEntry*> entries;
    for (const auto& entry : release.files) entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(), [](auto* left, auto* right) { return left->path < right->path; });
    text.append("SHA256:\n");
    for (const auto* entry : entries) {
        const std::string size = std::to_string(entry->size);
        text.append(" ").append(entry->sha256).append(" ");
        if (size.size() < 16) text.append(16 - size.size(), ' ');  // aligned, as Debian's archive tools do
        text.append(size).append(" ").append(entry->path).push_back('\n');
    }
    return text;
}

}  // namespace chantal::metadata
