#include "metadata/deb/release_file.h"

#include <apt-pkg/strutl.h>

#include <algorithm>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/relative_path.h"
#include "metadata/deb/checksum_lines.h"
#include "metadata/deb/deb822.h"

namespace chantal::metadata {
namespace {

std::vector<std::string> words_of(std::string_view value) {
    const auto words = deb822_words(value);
    return {words.begin(), words.end()};
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
        result.architectures = words_of(stanza.find("Architectures").value_or(""));
        result.components = words_of(stanza.find("Components").value_or(""));
        result.acquire_by_hash = yes("Acquire-By-Hash");
        result.not_automatic = yes("NotAutomatic");
        result.but_automatic_upgrades = yes("ButAutomaticUpgrades");

        const auto sums = stanza.find("SHA256");
        if (!sums) fail("no SHA256 field (MD5Sum and SHA1 alone are not trusted)");
        std::unordered_set<std::string> seen;
        std::vector<ChecksumLine> lines;
        try {
            lines = read_checksum_lines(*sums, "SHA256");
        } catch (const Error& error) {
            fail(error.what());
        }
        for (auto& line : lines) {
            if (!is_clean_relative_path(line.name))
                fail("index path leaves the distribution directory or is not clean: '" + line.name + "'");
            if (!seen.insert(line.name).second) fail("index path listed twice: '" + line.name + "'");
            result.files.push_back({std::move(line.name), line.size, std::move(line.sha256)});
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
