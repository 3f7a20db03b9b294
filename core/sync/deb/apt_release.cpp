#include "core/sync/deb/apt_release.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/base/url.h"
#include "metadata/deb/clearsigned.h"

namespace chantal {
namespace {

constexpr std::uint64_t kMaximumReleaseSize = 64ULL << 20;  // bytes; Debian's main Release is about 200 KiB
constexpr std::uint64_t kMaximumSignatureSize = 1ULL << 20;

std::string utc_text(std::int64_t seconds) {
    const std::time_t time = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[64];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return text;
}

// The compression suffix of an index file name, "" for none; nullopt for a
// name that is not the index `base` at all.
std::optional<std::string_view> variant_of(std::string_view name, std::string_view base) {
    if (!name.starts_with(base)) return std::nullopt;
    const std::string_view suffix = name.substr(base.size());
    for (std::string_view known : {"", ".gz", ".xz", ".bz2", ".zst", ".lzma", ".lz4"})
        if (suffix == known) return suffix;
    return std::nullopt;
}

}  // namespace

UpstreamRelease fetch_upstream_release(Downloader& downloader, const RepositoryConfig& repository,
                                       const UpstreamTrust* trust, std::int64_t now) {
    UpstreamRelease result;
    const AptSettings& apt = repository.apt;
    result.directory = apt.flat_repository ? "" : "dists/" + apt.distribution + "/";
    const auto url = [&](const std::string& name) { return join_url(repository.feed, result.directory + name); };
    const std::string where = "repo " + repository.id + ": ";
    try {
        result.in_release = downloader.fetch_if_present(url("InRelease"), kMaximumReleaseSize);
        result.release = downloader.fetch_if_present(url("Release"), kMaximumReleaseSize);
        result.release_signature = downloader.fetch_if_present(url("Release.gpg"), kMaximumSignatureSize);
    } catch (const Error& error) {
        throw Error(error.kind(), where + "cannot fetch " + result.directory + "InRelease: " + error.what(),
                    error.system_errno());
    }
    if (!result.in_release && !result.release)
        throw Error::not_found(where + "upstream has neither " + result.directory + "InRelease nor " + result.directory +
                               "Release (is apt.distribution '" + apt.distribution + "' right?)");
    result.sha256 = sha256_hex(result.in_release.value_or("") + '\0' + result.release.value_or("") + '\0' +
                               result.release_signature.value_or(""));

    // The text to read is the one the checked signature covers: InRelease's
    // signed text, else Release checked against Release.gpg.
    std::string text;
    std::string source = result.directory + (result.in_release ? "InRelease" : "Release");
    if (result.in_release) {
        std::string signed_text;
        if (trust) result.warnings = trust->check_clearsigned(source, *result.in_release, signed_text);
        text = !signed_text.empty() ? std::move(signed_text)
                                    : metadata::clearsigned_text(*result.in_release, where + source);
    } else {
        if (trust)
            result.warnings = trust->check_index(source, *result.release, result.directory + "Release.gpg",
                                                 result.release_signature);
        text = *result.release;
    }
    result.parsed = metadata::parse_release(text, where + source);
    if (result.parsed.valid_until && *result.parsed.valid_until < now && apt.check_valid_until)
        throw Error::invalid_input(where + source + " expired on " + utc_text(*result.parsed.valid_until) +
                                   " (its Valid-Until); upstream is stale or the clock is wrong; latest is unchanged "
                                   "(apt.check_valid_until: false accepts it)");
    return result;
}

std::vector<SelectedIndex> select_release_indexes(const metadata::ReleaseFile& release, const AptSettings& apt,
                                                  IndexScope scope, const std::string& repo_id) {
    std::vector<SelectedIndex> selected;
    std::map<std::string, std::uint64_t> plain_sizes;
    for (const auto& entry : release.files) plain_sizes[entry.path] = entry.size;
    const bool everything = scope == IndexScope::everything;
    // Adds every listed variant of `group` (an index path without suffix).
    const auto take = [&](const std::string& group, const std::string& type) {
        const auto slash = group.rfind('/');
        const std::string directory = slash == std::string::npos ? "" : group.substr(0, slash + 1);
        const std::string base = group.substr(directory.size());
        bool found = false;
        for (const auto& entry : release.files) {
            if (!entry.path.starts_with(directory)) continue;
            const std::string_view name = std::string_view(entry.path).substr(directory.size());
            if (name.find('/') != std::string_view::npos) continue;
            const auto variant = variant_of(name, base);
            if (!variant) continue;
            const auto plain = plain_sizes.find(group);
            selected.push_back({&entry, type, group,
                                plain != plain_sizes.end() ? std::optional<std::uint64_t>(plain->second) : std::nullopt});
            found = true;
        }
        return found;
    };
    const auto take_directory = [&](const std::string& directory, const std::string& type) {
        for (const auto& entry : release.files)
            if (entry.path.starts_with(directory) && entry.path.find('/', directory.size()) == std::string::npos)
                selected.push_back({&entry, type, entry.path, std::nullopt});
    };
    const auto require = [&](bool found, const std::string& what) {
        if (!found)
            throw Error::invalid_input("repo " + repo_id + ": the upstream Release lists no " + what +
                                       " (check apt.components and apt.architectures against its Components: " +
                                       [&] {
                                           std::string list;
                                           for (const auto& c : release.components) list += (list.empty() ? "" : " ") + c;
                                           return list.empty() ? std::string("none given") : list;
                                       }() + ")");
    };

    if (apt.flat_repository) {
        require(take("Packages", "packages"), "Packages index");
        if (apt.include_source_packages) require(take("Sources", "sources"), "Sources index");
        return selected;
    }
    std::vector<std::string> architectures = apt.architectures;
    const bool lists_all = std::any_of(release.files.begin(), release.files.end(),
                                       [](const auto& entry) { return entry.path.find("/binary-all/") != std::string::npos; });
    if (lists_all && std::find(architectures.begin(), architectures.end(), "all") == architectures.end())
        architectures.push_back("all");
    for (const auto& component : apt.components) {
        for (const auto& architecture : architectures) {
            const std::string directory = component + "/binary-" + architecture + "/";
            const bool found = take(directory + "Packages", "packages");
            if (architecture != "all" || std::find(apt.architectures.begin(), apt.architectures.end(), "all") != apt.architectures.end())
                require(found, directory + "Packages");
            if (everything) take(directory + "Release", "component_release");
        }
        if (apt.include_source_packages) {
            require(take(component + "/source/Sources", "sources"), component + "/source/Sources");
            if (everything) take(component + "/source/Release", "component_release");
        }
        if (everything && apt.include_translations) take_directory(component + "/i18n/", "translation");
        if (everything && apt.include_contents)
            for (const auto& architecture : architectures) {
                take(component + "/Contents-" + architecture, "contents");
                take("Contents-" + architecture, "contents");
            }
    }
    // A Contents file of the suite taken for two components is one file.
    std::sort(selected.begin(), selected.end(),
              [](const SelectedIndex& a, const SelectedIndex& b) { return a.entry->path < b.entry->path; });
    selected.erase(std::unique(selected.begin(), selected.end(),
                               [](const SelectedIndex& a, const SelectedIndex& b) { return a.entry->path == b.entry->path; }),
                   selected.end());
    return selected;
}

}  // namespace chantal
