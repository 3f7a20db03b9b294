#include <gtest/gtest.h>

#include "metadata/rpm/filelists.h"
#include "metadata/rpm/other.h"
#include "metadata/rpm/primary.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test::expect_error;

const char* const kPrimary = R"(<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="2">
<package type="rpm">
  <name>alpha</name>
  <arch>noarch</arch>
  <version epoch="2" ver="1.0~rc1" rel="1"/>
  <checksum type="sha256" pkgid="YES">C71AD7485E3DC7055334B7CE546D6A29506B92FFD1077232196EF796B2CBD1F8</checksum>
  <summary>A &amp; B &lt;test&gt;</summary>
  <description>Desc line</description>
  <packager></packager>
  <url></url>
  <time file="1795343393" build="1795343390"/>
  <size package="6245" installed="3" archive="264"/>
  <location xml:base="http://mirror.example/base/" href="Packages/alpha-1.0~rc1-1.noarch.rpm"/>
  <format>
    <rpm:license>MIT</rpm:license>
    <rpm:vendor>Acme</rpm:vendor>
    <rpm:group>Unspecified</rpm:group>
    <rpm:buildhost>vm</rpm:buildhost>
    <rpm:sourcerpm>alpha-1.0~rc1-1.src.rpm</rpm:sourcerpm>
    <rpm:header-range start="4504" end="6137"/>
    <rpm:provides>
      <rpm:entry name="alpha" flags="EQ" epoch="2" ver="1.0~rc1" rel="1"/>
    </rpm:provides>
    <file>/usr/bin/alpha</file>
  </format>
</package>
<package type="rpm">
  <name>beta</name>
  <arch>x86_64</arch>
  <version ver="2" rel=""/>
  <checksum type="sha" pkgid="YES">0123456789abcdef0123456789abcdef01234567</checksum>
  <summary/>
  <location href="b/beta-2.x86_64.rpm"/>
</package>
</metadata>
)";

std::vector<PrimaryPackage> parse_primary(std::string_view xml, const std::string& name = "primary.xml") {
    MemorySource source(xml, name);
    DecompressingReader input(source, 1u << 30);
    std::vector<PrimaryPackage> packages;
    read_primary(input, [&](PrimaryPackage& package) { packages.push_back(package); });
    return packages;
}

TEST(MetadataPrimary, ParsesFieldsAndKeepsTheElement) {
    MemorySource source(kPrimary, "primary.xml");
    DecompressingReader input(source, 1u << 30);
    std::vector<PrimaryPackage> packages;
    PackageFileSummary summary = read_primary(input, [&](PrimaryPackage& p) { packages.push_back(p); });
    EXPECT_EQ(summary.packages_read, 2u);
    EXPECT_EQ(summary.packages_declared, 2);
    ASSERT_EQ(packages.size(), 2u);
    const PrimaryPackage& a = packages[0];
    EXPECT_EQ(a.name, "alpha");
    EXPECT_EQ(a.arch, "noarch");
    EXPECT_EQ(a.epoch, 2u);
    EXPECT_EQ(a.version, "1.0~rc1");
    EXPECT_EQ(a.release, "1");
    EXPECT_EQ(a.checksum_algorithm, HashAlgorithm::sha256);
    EXPECT_EQ(a.checksum, "c71ad7485e3dc7055334b7ce546d6a29506b92ffd1077232196ef796b2cbd1f8");
    EXPECT_EQ(a.summary, "A & B <test>");
    EXPECT_EQ(a.file_time, 1795343393);
    EXPECT_EQ(a.build_time, 1795343390);
    EXPECT_EQ(a.package_size, 6245u);
    EXPECT_EQ(a.installed_size, 3u);
    EXPECT_EQ(a.archive_size, 264u);
    EXPECT_EQ(a.location_href, "Packages/alpha-1.0~rc1-1.noarch.rpm");
    EXPECT_EQ(a.location_base, "http://mirror.example/base/");
    EXPECT_EQ(a.license, "MIT");
    EXPECT_EQ(a.vendor, "Acme");
    EXPECT_EQ(a.group, "Unspecified");
    EXPECT_EQ(a.sourcerpm, "alpha-1.0~rc1-1.src.rpm");
    EXPECT_EQ(a.header_start, 4504u);
    EXPECT_EQ(a.header_end, 6137u);
    EXPECT_EQ(a.line, 3);
    EXPECT_EQ(a.xml.substr(0, 20), "<package type=\"rpm\">");
    EXPECT_EQ(a.xml.substr(a.xml.size() - 10), "</package>");
    EXPECT_NE(a.xml.find("<rpm:entry name=\"alpha\" flags=\"EQ\" epoch=\"2\" ver=\"1.0~rc1\" rel=\"1\"/>"), std::string::npos);
    EXPECT_NE(a.xml.find("<summary>A &amp; B &lt;test&gt;</summary>"), std::string::npos);
    EXPECT_EQ(a.xml.find("xmlns"), std::string::npos);
    const PrimaryPackage& b = packages[1];
    EXPECT_EQ(b.epoch, 0u);
    EXPECT_EQ(b.release, "");
    EXPECT_EQ(b.checksum_algorithm, HashAlgorithm::sha1);
    EXPECT_EQ(b.location_base, "");
    EXPECT_EQ(b.line, 28);
}

TEST(MetadataPrimary, WriterRewritesLocationAndRoundTrips) {
    std::vector<PrimaryPackage> packages = parse_primary(kPrimary);
    std::string written;
    StringSink sink(written);
    PrimaryWriter writer(sink, packages.size());
    for (const PrimaryPackage& p : packages) writer.add(p.xml, "Packages/" + p.name.substr(0, 1) + "/" + p.name + "+x.rpm");
    writer.finish();
    EXPECT_EQ(written.substr(0, written.find("<package")),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
              "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"2\">\n");
    EXPECT_NE(written.find("<location href=\"Packages/a/alpha+x.rpm\"/>"), std::string::npos);
    EXPECT_EQ(written.find("xml:base"), std::string::npos);
    std::vector<PrimaryPackage> again = parse_primary(written);
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[0].location_href, "Packages/a/alpha+x.rpm");
    EXPECT_EQ(again[0].location_base, "");
    EXPECT_EQ(again[0].checksum, packages[0].checksum);
    EXPECT_EQ(again[0].header_end, 6137u);
    EXPECT_EQ(again[1].location_href, "Packages/b/beta+x.rpm");
    // Writing the re-read packages gives the same bytes (stable fixpoint).
    std::string written_again;
    StringSink sink_again(written_again);
    PrimaryWriter writer_again(sink_again, again.size());
    for (const PrimaryPackage& p : again) writer_again.add(p.xml, p.location_href);
    writer_again.finish();
    EXPECT_EQ(written, written_again);
    // xmllint agrees it is well-formed.
    test_support::TempDir dir;
    test_support::write_text(dir / "primary.xml", written);
    std::string output;
    EXPECT_EQ(test_support::run_command("xmllint --noout " + (dir / "primary.xml").string(), &output), 0) << output;
}

TEST(MetadataPrimary, WriterChecksTheAnnouncedCount) {
    std::string out;
    StringSink sink(out);
    PrimaryWriter writer(sink, 3);
    expect_error([&] { writer.finish(); }, ErrorKind::internal, {"0 packages written, 3 announced"});
}

TEST(MetadataPrimary, RewriteLocationHandlesLongFormAndEscapes) {
    EXPECT_EQ(rewrite_location("<package><location href=\"x\">junk</location><locationx/></package>", "a&\"b"),
              "<package><location href=\"a&amp;&quot;b\"/><locationx/></package>");
    EXPECT_EQ(rewrite_location("<package><locations/><location\nhref=\"x\"/></package>", "y"),
              "<package><locations/><location href=\"y\"/></package>");
    expect_error([] { rewrite_location("<package/>", "y"); }, ErrorKind::invalid_input, {"no <location>"});
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(MetadataPrimary, MissingOrBadFieldsNameFileAndLine) {
    const std::string xml = kPrimary;
    expect_error([&] { parse_primary(replace(xml, "<checksum type=\"sha\" pkgid=\"YES\">0123456789abcdef0123456789abcdef01234567</checksum>", ""), "primary.xml.gz"); },
                 ErrorKind::invalid_input, {"primary.xml.gz line 28", "package 'beta' has no <checksum>"});
    expect_error([&] { parse_primary(replace(xml, "<name>beta</name>", ""), "p.xml"); }, ErrorKind::invalid_input,
                 {"p.xml line 28", "no <name>"});
    expect_error([&] { parse_primary(replace(xml, "<location href=\"b/beta-2.x86_64.rpm\"/>", ""), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line 28", "no <location href>"});
    expect_error([&] { parse_primary(replace(xml, "<version ver=\"2\" rel=\"\"/>", ""), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line 28", "no <version>"});
    expect_error([&] { parse_primary(replace(xml, "epoch=\"2\"", "epoch=\"two\""), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line 6", "epoch"});
    expect_error([&] { parse_primary(replace(xml, "package=\"6245\"", "package=\"-1\""), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line 13", "not a number"});
    expect_error([&] { parse_primary(replace(xml, "type=\"sha\"", "type=\"md5\""), "p.xml"); }, ErrorKind::unsupported,
                 {"p.xml line 32", "md5"});
    expect_error([&] { parse_primary(replace(xml, "type=\"sha\"", "type=\"sha256\""), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line 32", "not a sha256 hex digest"});
    expect_error([&] { parse_primary("<otherdata/>", "p.xml"); }, ErrorKind::invalid_input, {"p.xml line 1", "<metadata>"});
    expect_error([&] { parse_primary(xml.substr(0, xml.size() - 100), "p.xml"); }, ErrorKind::invalid_input, {"p.xml line"});
}

// Found by the primary fuzz target: with two <location> elements the parser
// kept the last, rewrite_location() replaced the first, so a generated
// primary.xml still sent dnf to upstream's href. Every <location> the
// rewrite could pick must be the package's one location.
TEST(MetadataPrimary, ALocationTheRewriteCouldMissIsAnError) {
    const std::string xml = kPrimary;
    const std::string location = "<location href=\"b/beta-2.x86_64.rpm\"/>";
    expect_error([&] { parse_primary(replace(xml, location, "<location href=\"x.rpm\"/>" + location), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line", "more than one <location>"});
    expect_error([&] { parse_primary(replace(xml, location, "<format><location href=\"x.rpm\"/></format>" + location), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line", "only directly in <package>"});
    expect_error([&] { parse_primary(replace(xml, location, "<x:location xmlns:x=\"urn:x\" href=\"x.rpm\"/>"), "p.xml"); },
                 ErrorKind::invalid_input, {"p.xml line", "<location> in namespace \"urn:x\""});
    // Locations the rewrite finds are fine: another default namespace, and a
    // prefixed element of another namespace below <format>.
    auto packages = parse_primary(replace(xml, location, "<location xmlns=\"urn:x\" href=\"x.rpm\"/>"
                                                         "<format><x:location xmlns:x=\"urn:x\"/></format>"));
    ASSERT_EQ(packages.size(), 2u);
    EXPECT_EQ(packages[1].location_href, "x.rpm");
    const std::string rewritten = rewrite_location(packages[1].xml, "Packages/b/beta.rpm");
    EXPECT_NE(rewritten.find("<location href=\"Packages/b/beta.rpm\"/>"), std::string::npos) << rewritten;
    EXPECT_EQ(rewritten.find("x.rpm"), std::string::npos) << rewritten;
}

TEST(MetadataPrimary, CallbackMayMoveFieldsOut) {
    std::vector<std::string> xmls;
    MemorySource source(kPrimary, "primary.xml");
    DecompressingReader input(source, 1u << 30);
    read_primary(input, [&](PrimaryPackage& p) { xmls.push_back(std::move(p.xml)); });
    ASSERT_EQ(xmls.size(), 2u);
    EXPECT_NE(xmls[1].find("<name>beta</name>"), std::string::npos);
    EXPECT_EQ(xmls[1].find("alpha"), std::string::npos);
}

const char* const kFilelists = R"(<?xml version="1.0" encoding="UTF-8"?>
<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="1">
<package pkgid="c71ad7485e3dc7055334b7ce546d6a29506b92ffd1077232196ef796b2cbd1f8" name="alpha" arch="noarch">
  <version epoch="2" ver="1.0~rc1" rel="1"/>
  <file>/usr/share/alpha/c++file</file>
  <file type="dir">/usr/share/alpha</file>
</package>
</filelists>)";

const char* const kOther = R"(<?xml version="1.0" encoding="UTF-8"?>
<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="1">
<package pkgid="c71ad7485e3dc7055334b7ce546d6a29506b92ffd1077232196ef796b2cbd1f8" name="alpha" arch="noarch">
  <version epoch="2" ver="1.0~rc1" rel="1"/>
  <changelog author="Me &lt;me@example.com&gt; - 2:1.0~rc1-1" date="1704110400">- first &amp; &lt;entry&gt;</changelog>
</package>
</otherdata>)";

TEST(MetadataFilelistsOther, ReadAndWriteBackIdentically) {
    for (const char* document : {kFilelists, kOther}) {
        const bool filelists = document == kFilelists;
        MemorySource source(document, "x.xml");
        DecompressingReader input(source, 1u << 30);
        std::vector<PackageListEntry> entries;
        auto collect = [&](PackageListEntry& e) { entries.push_back(e); };
        PackageFileSummary summary = filelists ? read_filelists(input, collect) : read_other(input, collect);
        EXPECT_EQ(summary.packages_read, 1u);
        ASSERT_EQ(entries.size(), 1u);
        EXPECT_EQ(entries[0].pkgid, "c71ad7485e3dc7055334b7ce546d6a29506b92ffd1077232196ef796b2cbd1f8");
        EXPECT_EQ(entries[0].name, "alpha");
        EXPECT_EQ(entries[0].arch, "noarch");
        EXPECT_EQ(entries[0].epoch, 2u);
        EXPECT_EQ(entries[0].version, "1.0~rc1");
        EXPECT_EQ(entries[0].release, "1");
        EXPECT_EQ(entries[0].line, 3);
        std::string out;
        StringSink sink(out);
        if (filelists) {
            FilelistsWriter writer(sink, 1);
            writer.add(entries[0].xml);
            writer.finish();
        } else {
            OtherWriter writer(sink, 1);
            writer.add(entries[0].xml);
            writer.finish();
        }
        // createrepo_c's layout is reproduced byte for byte.
        EXPECT_EQ(out, document);
    }
}

TEST(MetadataFilelistsOther, MissingPkgidIsAnError) {
    std::string xml = kFilelists;
    xml.replace(xml.find("pkgid=\""), 7, "xpkgid=\"");
    MemorySource source(xml, "filelists.xml.gz");
    DecompressingReader input(source, 1u << 30);
    expect_error([&] { read_filelists(input, [](FilelistsPackage&) {}); }, ErrorKind::invalid_input,
                 {"filelists.xml.gz line 3", "no pkgid"});
}

}  // namespace
}  // namespace chantal::metadata
