#include <gtest/gtest.h>

#include "metadata/rpm/repomd.h"
#include "support/metadata_test_support.h"

namespace chantal::metadata {
namespace {

using test::expect_error;

const char* const kRepomd = R"(<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1795343394</revision>
  <tags>
    <content>binary-x86_64</content>
    <distro cpeid="cpe:/o:redhat:enterprise_linux:9">RHEL 9</distro>
  </tags>
  <data type="primary">
    <checksum type="sha256">f52e54bbd66cca84579a489db772d0405061a3e7f3979ebc7518f378d73f3aca</checksum>
    <open-checksum type="sha256">536e7b10a06c0d420ce6314ee26675318ceb58cacd097c6eefbd11f05ad9a484</open-checksum>
    <location href="repodata/f52e54bbd66cca84579a489db772d0405061a3e7f3979ebc7518f378d73f3aca-primary.xml.gz"/>
    <timestamp>1795343394</timestamp>
    <size>579</size>
    <open-size>1121</open-size>
  </data>
  <data type="primary_zck">
    <checksum type="sha1">0123456789abcdef0123456789abcdef01234567</checksum>
    <open-checksum type="sha1">0123456789abcdef0123456789abcdef01234567</open-checksum>
    <header-checksum type="sha1">89abcdef0123456789abcdef0123456789abcdef</header-checksum>
    <location href="repodata/primary.xml.zck"/>
    <timestamp>1795343394</timestamp>
    <size>1000</size>
    <open-size>2000</open-size>
    <header-size>132</header-size>
  </data>
  <data type="primary_db">
    <checksum type="sha256">b278760b481cb4eca121e0dfc882e07d76d925407fa981ac4fd01cb98606dd1f</checksum>
    <location href="repodata/primary.sqlite.bz2"/>
    <size>1697</size>
    <database_version>10</database_version>
  </data>
</repomd>
)";

TEST(MetadataRepomd, ParsesEveryRecord) {
    Repomd repomd = parse_repomd(kRepomd, "repomd.xml");
    EXPECT_EQ(repomd.revision, "1795343394");
    ASSERT_EQ(repomd.content_tags.size(), 1u);
    EXPECT_EQ(repomd.content_tags[0], "binary-x86_64");
    ASSERT_EQ(repomd.distro_tags.size(), 1u);
    EXPECT_EQ(repomd.distro_tags[0].cpeid, "cpe:/o:redhat:enterprise_linux:9");
    EXPECT_EQ(repomd.distro_tags[0].name, "RHEL 9");
    ASSERT_EQ(repomd.records.size(), 3u);
    const RepomdRecord* primary = repomd.find("primary");
    ASSERT_NE(primary, nullptr);
    EXPECT_EQ(primary->location_href,
              "repodata/f52e54bbd66cca84579a489db772d0405061a3e7f3979ebc7518f378d73f3aca-primary.xml.gz");
    EXPECT_EQ(primary->checksum.algorithm, HashAlgorithm::sha256);
    EXPECT_EQ(primary->checksum.value, "f52e54bbd66cca84579a489db772d0405061a3e7f3979ebc7518f378d73f3aca");
    ASSERT_TRUE(primary->open_checksum);
    EXPECT_EQ(primary->open_checksum->value, "536e7b10a06c0d420ce6314ee26675318ceb58cacd097c6eefbd11f05ad9a484");
    EXPECT_EQ(primary->size, 579u);
    EXPECT_EQ(primary->open_size, 1121u);
    EXPECT_EQ(primary->timestamp, 1795343394);
    EXPECT_FALSE(primary->header_checksum);
    const RepomdRecord* zchunk = repomd.find("primary_zck");
    ASSERT_NE(zchunk, nullptr);
    EXPECT_EQ(zchunk->checksum.algorithm, HashAlgorithm::sha1);
    ASSERT_TRUE(zchunk->header_checksum);
    EXPECT_EQ(zchunk->header_checksum->value, "89abcdef0123456789abcdef0123456789abcdef");
    EXPECT_EQ(zchunk->header_size, 132u);
    const RepomdRecord* database = repomd.find("primary_db");
    ASSERT_NE(database, nullptr);
    EXPECT_EQ(database->database_version, 10u);
    EXPECT_FALSE(database->timestamp);
    EXPECT_EQ(repomd.find("updateinfo"), nullptr);
}

TEST(MetadataRepomd, WritesDeterministicallyAndRoundTrips) {
    Repomd repomd = parse_repomd(kRepomd, "repomd.xml");
    std::string written = write_repomd(repomd);
    EXPECT_EQ(written, write_repomd(parse_repomd(written, "again.xml")));
    // createrepo_c's layout for the records it writes.
    EXPECT_NE(written.find(R"(  <data type="primary">
    <checksum type="sha256">f52e54bbd66cca84579a489db772d0405061a3e7f3979ebc7518f378d73f3aca</checksum>
    <open-checksum type="sha256">536e7b10a06c0d420ce6314ee26675318ceb58cacd097c6eefbd11f05ad9a484</open-checksum>
    <location href="repodata/f52e54bbd66cca84579a489db772d0405061a3e7f3979ebc7518f378d73f3aca-primary.xml.gz"/>
    <timestamp>1795343394</timestamp>
    <size>579</size>
    <open-size>1121</open-size>
  </data>
)"),
              std::string::npos)
        << written;
    EXPECT_EQ(written.substr(0, 166), std::string(kRepomd).substr(0, 166));
}

TEST(MetadataRepomd, ChecksumPrefixedHref) {
    EXPECT_EQ(checksum_prefixed_href("abc", "primary", ".xml.gz"), "repodata/abc-primary.xml.gz");
}

TEST(MetadataRepomd, BadRecordsNameFileAndLine) {
    std::string xml = kRepomd;
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string copy = xml;
        copy.replace(copy.find(from), from.size(), to);
        return copy;
    };
    expect_error([&] { parse_repomd(replaced("<checksum type=\"sha256\">b27", "<checksum type=\"md5\">b27"), "repomd.xml"); },
                 ErrorKind::unsupported, {"repomd.xml line 27", "md5"});
    expect_error([&] { parse_repomd(replaced("<location href=\"repodata/primary.sqlite.bz2\"/>", ""), "repomd.xml"); },
                 ErrorKind::invalid_input, {"repomd.xml line 26", "primary_db", "no <location href>"});
    expect_error([&] { parse_repomd(replaced("<size>1697</size>", "<size>big</size>"), "repomd.xml"); },
                 ErrorKind::invalid_input, {"repomd.xml line 29", "not a number"});
    expect_error([&] { parse_repomd("<metadata/>", "repomd.xml"); }, ErrorKind::invalid_input, {"repomd.xml line 1"});
    expect_error([&] { parse_repomd(xml.substr(0, 500), "repomd.xml"); }, ErrorKind::invalid_input, {"repomd.xml line"});
}

}  // namespace
}  // namespace chantal::metadata
