// Location hrefs as sync treats them (core/sync/sync.cpp, package_fetch.cpp,
// rpm/upstream_metadata.cpp): classify_href, resolve_href for what is not
// refused, href_file_name and generated_tree_path for the tree path, and the
// URL helpers that print URLs. Input: "feed\nhref\nxml_base".
//
// Properties: resolve_href throws exactly for refused hrefs; a resolved URL
// of a file:// feed stays inside the feed's directory (or is that directory,
// as "." resolves to it); a generated tree path
// is "Packages/<x>/<file name>" with no dot segment.
#include "core/base/url.h"
#include "fuzz_support.h"
#include "metadata/rpm/href.h"

namespace {

// The path of an absolute URL ("scheme://authority/path?query"), without
// query or fragment; "/" when it has none.
std::string_view url_path(std::string_view url) {
    std::string_view rest = url.substr(url.find("://") + 3);
    const std::size_t path_start = rest.find_first_of("/?#");
    if (path_start == std::string_view::npos || rest[path_start] != '/') return "/";
    rest.remove_prefix(path_start);
    return rest.substr(0, rest.find_first_of("?#"));
}

// The feed's directory path with dot segments removed, as resolve_href
// writes it before the href: "/dir/".
std::string normalized_feed_directory(std::string_view feed) {
    std::vector<std::string_view> kept;
    for (std::string_view segment : chantal::fuzz::split(url_path(feed).substr(1), "/", SIZE_MAX)) {
        if (segment == ".") continue;
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
            continue;
        }
        kept.push_back(segment);
    }
    if (!kept.empty() && kept.back().empty()) kept.pop_back();
    std::string result;
    for (std::string_view segment : kept) result.append("/").append(segment);
    result.push_back('/');
    return result;
}

bool has_dot_segment(std::string_view path) {
    for (std::string_view segment : chantal::fuzz::split(path, "/", SIZE_MAX))
        if (segment == "." || segment == "..") return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    const auto fields = fuzz::split(fuzz::as_text(data, size), "\n", 3);
    const std::string_view feed = fields[0];
    const std::string_view href = fields.size() > 1 ? fields[1] : std::string_view();
    const std::string_view xml_base = fields.size() > 2 ? fields[2] : std::string_view();

    (void)url_scheme(feed);
    (void)redact_url(feed);
    (void)redact_urls_in_text(fuzz::as_text(data, size));
    (void)metadata::percent_escape_path(href);

    const metadata::HrefClassification classification = metadata::classify_href(href, xml_base, feed);
    std::optional<std::string> resolved;
    try {
        resolved = metadata::resolve_href(feed, href, xml_base);
    } catch (const Error&) {
    }
    fuzz::require(resolved.has_value() == (classification.kind != metadata::HrefKind::refused),
                  "resolve_href refuses exactly the refused hrefs");
    if (resolved && url_scheme(feed) == "file")
        fuzz::require((std::string(url_path(*resolved)) + "/").starts_with(normalized_feed_directory(feed)),
                      "a file:// href resolves inside the feed's directory");
    if (classification.kind == metadata::HrefKind::inside_tree)
        fuzz::require(!has_dot_segment(href), "an inside_tree href has no dot segment");

    const std::string_view file_name = metadata::href_file_name(href);
    fuzz::require(file_name.find('/') == std::string_view::npos && href.ends_with(file_name),
                  "href_file_name is the last segment");
    fuzz::ignoring_invalid_input([&] {
        const std::string path = metadata::generated_tree_path(file_name);
        fuzz::require(path.rfind("Packages/", 0) == 0 && path.ends_with("/" + std::string(file_name)) &&
                          !has_dot_segment(path) && path.find("//") == std::string::npos,
                      "a generated tree path is Packages/<x>/<file name>");
    });
    return 0;
}
