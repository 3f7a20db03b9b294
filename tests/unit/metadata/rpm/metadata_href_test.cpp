#include <gtest/gtest.h>

#include "core/base/relative_path.h"

#include "metadata/rpm/href.h"
#include "support/metadata_test_support.h"

namespace chantal::metadata {
namespace {

using test::expect_error;

const char* const kFeed = "https://cdn.example.com/rhel9/baseos/os";

HrefKind kind(std::string_view href, std::string_view base = {}, std::string_view feed = kFeed) {
    return classify_href(href, base, feed).kind;
}

TEST(MetadataHref, CleanRelativePathsAreInsideTheTree) {
    EXPECT_EQ(kind("Packages/a/alpha-1.0-1.noarch.rpm"), HrefKind::inside_tree);
    EXPECT_EQ(kind("libstdc++-9.3.1-1.fc31.x86_64.rpm"), HrefKind::inside_tree);
    EXPECT_EQ(kind("p/passt-0^20250503.g587980c-1.x86_64.rpm"), HrefKind::inside_tree);
    EXPECT_EQ(kind("with space/%2e%2e/x.rpm"), HrefKind::inside_tree);  // literal names, escaped when resolved
    EXPECT_EQ(kind("a.rpm", "https://cdn.example.com/rhel9/baseos/os/"), HrefKind::inside_tree);
    EXPECT_EQ(kind("a.rpm", {}, "file:///srv/repo"), HrefKind::inside_tree);
}

TEST(MetadataHref, CleanTreePathsAreTheInsideTreeOnes) {
    EXPECT_TRUE(is_clean_relative_path("images/pxeboot/vmlinuz"));
    EXPECT_TRUE(is_clean_relative_path("EFI/BOOT/BOOTX64.EFI"));
    EXPECT_FALSE(is_clean_relative_path(""));
    EXPECT_FALSE(is_clean_relative_path("a/"));
    EXPECT_FALSE(is_clean_relative_path("a/../b"));
    EXPECT_FALSE(is_clean_relative_path("/a"));
    EXPECT_FALSE(is_clean_relative_path("a\tb"));
}

TEST(MetadataHref, PathsLeavingTheTreeFallBack) {
    EXPECT_EQ(kind("../other/x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("a/../../x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("a/../x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("/pub/x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("a//x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("./x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("https://cdn.example.com/elsewhere/x.rpm"), HrefKind::outside_tree);
    EXPECT_EQ(kind("x.rpm", "https://cdn.example.com/other/"), HrefKind::outside_tree);
}

TEST(MetadataHref, DangerousHrefsAreRefused) {
    EXPECT_EQ(kind("file:///etc/passwd"), HrefKind::refused);
    EXPECT_EQ(kind("http://cdn.example.com/rhel9/x.rpm"), HrefKind::refused);  // scheme switch
    EXPECT_EQ(kind("https://user:pass@cdn.example.com/x.rpm"), HrefKind::refused);
    EXPECT_EQ(kind("https://evil.example.org/x.rpm"), HrefKind::refused);
    EXPECT_EQ(kind("//evil.example.org/x.rpm"), HrefKind::refused);
    EXPECT_EQ(kind("x.rpm", "file:///etc/"), HrefKind::refused);
    EXPECT_EQ(kind("x.rpm", "https://evil.example.org/"), HrefKind::refused);
    EXPECT_EQ(kind("a\\..\\..\\x.rpm"), HrefKind::refused);
    EXPECT_EQ(kind(std::string_view("a\0b.rpm", 7)), HrefKind::refused);
    EXPECT_EQ(kind("a\nb.rpm"), HrefKind::refused);
    EXPECT_EQ(kind(""), HrefKind::refused);
    // file:// feeds: leaving the directory would read arbitrary local files.
    EXPECT_EQ(kind("../../etc/passwd", {}, "file:///srv/repo"), HrefKind::refused);
    EXPECT_EQ(kind("/etc/passwd", {}, "file:///srv/repo"), HrefKind::refused);
    EXPECT_EQ(kind("file:///etc/passwd", {}, "file:///srv/repo"), HrefKind::refused);
    EXPECT_EQ(kind("a/../b.rpm", {}, "file:///srv/repo"), HrefKind::outside_tree);
    EXPECT_NE(classify_href("file:///etc/passwd", {}, kFeed).reason.find("switches scheme"), std::string::npos);
}

TEST(MetadataHref, ResolvesLikeLibrepo) {
    EXPECT_EQ(resolve_href(kFeed, "Packages/l/libstdc++-9.3.1-1.x86_64.rpm"),
              "https://cdn.example.com/rhel9/baseos/os/Packages/l/libstdc%2B%2B-9.3.1-1.x86_64.rpm");
    EXPECT_EQ(resolve_href("https://cdn.example.com/repo/", "a b%~^.rpm"),
              "https://cdn.example.com/repo/a%20b%25~%5E.rpm");
    EXPECT_EQ(resolve_href(kFeed, "../../appstream/x.rpm"), "https://cdn.example.com/rhel9/appstream/x.rpm");
    EXPECT_EQ(resolve_href(kFeed, "../../../../../x.rpm"), "https://cdn.example.com/x.rpm");
    EXPECT_EQ(resolve_href(kFeed, "/pub/x.rpm"), "https://cdn.example.com/pub/x.rpm");
    EXPECT_EQ(resolve_href(kFeed, "x.rpm", "https://cdn.example.com/other"), "https://cdn.example.com/other/x.rpm");
    EXPECT_EQ(resolve_href("https://h:8443/r?token=1", "x.rpm"), "https://h:8443/r/x.rpm");
    EXPECT_EQ(resolve_href("file:///srv/repo", "Packages/x.rpm"), "file:///srv/repo/Packages/x.rpm");
    expect_error([] { resolve_href(kFeed, "file:///etc/passwd"); }, ErrorKind::invalid_input, {"refusing", "scheme"});
}

TEST(MetadataHref, GeneratedTreePath) {
    EXPECT_EQ(generated_tree_path("Alpha-1.0-1.noarch.rpm"), "Packages/a/Alpha-1.0-1.noarch.rpm");
    EXPECT_EQ(generated_tree_path("libstdc++-9.rpm"), "Packages/l/libstdc++-9.rpm");
    EXPECT_EQ(generated_tree_path("0ad-1.rpm"), "Packages/0/0ad-1.rpm");
    EXPECT_EQ(generated_tree_path("\xc3\x89t\xc3\xa9.rpm"), "Packages/\xc3\x89/\xc3\x89t\xc3\xa9.rpm");
    EXPECT_EQ(href_file_name("a/b/c.rpm"), "c.rpm");
    EXPECT_EQ(href_file_name("c.rpm"), "c.rpm");
    for (const char* bad : {"", ".", "..", "a/b.rpm", "a\\b.rpm", "a\nb"})
        expect_error([&] { generated_tree_path(bad); }, ErrorKind::invalid_input, {"package file name"});
}

// Found by the href fuzz target: ".rpmf" became "Packages/./.rpmf", a path
// with a dot segment that no tree can serve at that name.
TEST(MetadataHref, GeneratedTreePathRefusesAHiddenFileName) {
    for (const char* hidden : {".rpmf", ".hidden-1.0-1.noarch.rpm", "..rpm"})
        expect_error([&] { generated_tree_path(hidden); }, ErrorKind::invalid_input, {"package file name"});
    EXPECT_EQ(generated_tree_path("a.rpm"), "Packages/a/a.rpm");
}

}  // namespace
}  // namespace chantal::metadata
