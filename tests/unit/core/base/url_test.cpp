#include "core/base/url.h"

#include <gtest/gtest.h>

using namespace chantal;

TEST(Url, Scheme) {
    EXPECT_EQ(url_scheme("HTTPS://cdn.example.com/x"), "https");
    EXPECT_EQ(url_scheme("file:///srv/repo"), "file");
    EXPECT_EQ(url_scheme("/srv/repo"), "");
    EXPECT_EQ(url_scheme("://nothing"), "");
}

TEST(Url, RedactRemovesCredentialsQueryAndFragment) {
    EXPECT_EQ(redact_url("https://user:secret@cdn.example.com/a/b.rpm?token=abc#frag"),
              "https://cdn.example.com/a/b.rpm");
    EXPECT_EQ(redact_url("http://user@host:8080/x"), "http://host:8080/x");
    EXPECT_EQ(redact_url("http://u:p%40ss@host"), "http://host");
    EXPECT_EQ(redact_url("http://host/path@with-at"), "http://host/path@with-at");
    EXPECT_EQ(redact_url("file:///srv/repo/a.rpm"), "file:///srv/repo/a.rpm");
    EXPECT_EQ(redact_url("not a url?x=1"), "not a url");
}

TEST(Url, RedactUrlsInText) {
    EXPECT_EQ(redact_urls_in_text("Failed to connect to proxy http://bob:hunter2@proxy:3128 after 5 ms"),
              "Failed to connect to proxy http://proxy:3128 after 5 ms");
    EXPECT_EQ(redact_urls_in_text("a http://x/y@z and https://u:p@h/ end"), "a http://x/y@z and https://h/ end");
    EXPECT_EQ(redact_urls_in_text("no urls here"), "no urls here");
}

TEST(Url, EscapesPathBytes) {
    EXPECT_EQ(escape_url_path("Packages/a b+c~d%e.rpm"), "Packages/a%20b%2Bc~d%25e.rpm");
    EXPECT_EQ(escape_url_path("x?y#z"), "x%3Fy%23z");
    EXPECT_EQ(escape_url_path("\xc3\xa9"), "%C3%A9");
}

TEST(Url, Join) {
    EXPECT_EQ(join_url("https://h/repo", "Packages/a+b.rpm"), "https://h/repo/Packages/a%2Bb.rpm");
    EXPECT_EQ(join_url("https://h/repo/", "/repodata/repomd.xml"), "https://h/repo/repodata/repomd.xml");
    EXPECT_EQ(join_url("file:///srv/repo", "a b.rpm"), "file:///srv/repo/a%20b.rpm");
}
