#include <gtest/gtest.h>

#include "metadata/rpm/updateinfo.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test::expect_error;

const char* const kUpdateinfo = R"(<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="security@example.com" status="final" type="security" version="2">
    <id>RHSA-2024:0001</id>
    <title>Important: alpha &amp; beta security update</title>
    <issued date="2024-01-02 00:00:00"/>
    <updated date="2024-01-03 00:00:00"/>
    <rights>Copyright 2024</rights>
    <release>9</release>
    <severity>Important</severity>
    <summary>An update</summary>
    <description>Fixes CVE-2024-1234.</description>
    <solution>Apply it.</solution>
    <references>
      <reference href="https://access.example.com/CVE-2024-1234" id="CVE-2024-1234" type="cve" title="CVE-2024-1234"/>
      <reference href="https://bugzilla.example.com/1" id="1" type="bugzilla" title="bug"/>
    </references>
    <pkglist>
      <collection short="el9">
        <name>EL 9</name>
        <package name="alpha" version="1.0~rc1" release="1" epoch="2" arch="noarch" src="alpha-1.0~rc1-1.src.rpm">
          <filename>alpha-1.0~rc1-1.noarch.rpm</filename>
          <sum type="sha256">c71ad7485e3dc7055334b7ce546d6a29506b92ffd1077232196ef796b2cbd1f8</sum>
        </package>
        <package name="beta" version="2" release="1" epoch="0" arch="x86_64" src="beta-2-1.src.rpm">
          <filename>beta-2-1.x86_64.rpm</filename>
        </package>
      </collection>
      <collection short="other">
        <name>Other</name>
        <package name="gamma" version="3" release="1" arch="x86_64"><filename>gamma-3-1.x86_64.rpm</filename></package>
      </collection>
    </pkglist>
  </update>
  <update status="stable" type="bugfix">
    <id>FEDORA-2024-2</id>
    <title>gamma only</title>
    <pkglist><collection short="f"><package name="gamma" version="3" release="1" arch="x86_64"><filename>gamma-3-1.x86_64.rpm</filename></package></collection></pkglist>
  </update>
</updates>
)";

std::vector<Advisory> parse(std::string_view xml, const std::string& name = "updateinfo.xml") {
    MemorySource source(xml, name);
    DecompressingReader input(source, 1u << 30);
    std::vector<Advisory> advisories;
    read_updateinfo(input, [&](Advisory& a) { advisories.push_back(a); });
    return advisories;
}

TEST(MetadataUpdateinfo, ParsesAdvisories) {
    std::vector<Advisory> advisories = parse(kUpdateinfo);
    ASSERT_EQ(advisories.size(), 2u);
    const Advisory& a = advisories[0];
    EXPECT_EQ(a.id, "RHSA-2024:0001");
    EXPECT_EQ(a.type, "security");
    EXPECT_EQ(a.status, "final");
    EXPECT_EQ(a.from, "security@example.com");
    EXPECT_EQ(a.version, "2");
    EXPECT_EQ(a.severity, "Important");
    EXPECT_EQ(a.issued, "2024-01-02 00:00:00");
    EXPECT_EQ(a.updated, "2024-01-03 00:00:00");
    EXPECT_EQ(a.title, "Important: alpha & beta security update");
    EXPECT_EQ(a.summary, "An update");
    EXPECT_EQ(a.description, "Fixes CVE-2024-1234.");
    EXPECT_EQ(a.rights, "Copyright 2024");
    EXPECT_EQ(a.solution, "Apply it.");
    EXPECT_EQ(a.release, "9");
    ASSERT_EQ(a.references.size(), 2u);
    EXPECT_TRUE(a.references[0].is_cve());
    EXPECT_EQ(a.references[0].id, "CVE-2024-1234");
    EXPECT_FALSE(a.references[1].is_cve());
    ASSERT_EQ(a.collections.size(), 2u);
    EXPECT_EQ(a.collections[0].short_name, "el9");
    EXPECT_EQ(a.collections[0].name, "EL 9");
    ASSERT_EQ(a.collections[0].packages.size(), 2u);
    const AdvisoryPackage& p = a.collections[0].packages[0];
    EXPECT_EQ(p.name, "alpha");
    EXPECT_EQ(p.epoch, 2u);
    EXPECT_EQ(p.version, "1.0~rc1");
    EXPECT_EQ(p.release, "1");
    EXPECT_EQ(p.arch, "noarch");
    EXPECT_EQ(p.src, "alpha-1.0~rc1-1.src.rpm");
    EXPECT_EQ(p.filename, "alpha-1.0~rc1-1.noarch.rpm");
    EXPECT_EQ(p.sum_type, "sha256");
    EXPECT_EQ(p.sum, "c71ad7485e3dc7055334b7ce546d6a29506b92ffd1077232196ef796b2cbd1f8");
    EXPECT_EQ(a.collections[1].packages[0].filename, "gamma-3-1.x86_64.rpm");
    EXPECT_EQ(a.line, 3);
    EXPECT_EQ(advisories[1].id, "FEDORA-2024-2");
    EXPECT_EQ(advisories[1].line, 35);
}

TEST(MetadataUpdateinfo, WriterPrunesToTheTree) {
    std::vector<Advisory> advisories = parse(kUpdateinfo);
    std::string out;
    StringSink sink(out);
    UpdateinfoWriter writer(sink);
    auto only_alpha = [](const AdvisoryPackage& p) { return p.name == "alpha" && p.epoch == 2; };
    EXPECT_TRUE(writer.add(advisories[0].xml, only_alpha));
    EXPECT_FALSE(writer.add(advisories[1].xml, only_alpha));
    writer.finish();
    EXPECT_EQ(writer.written(), 1u);
    std::vector<Advisory> pruned = parse(out);
    ASSERT_EQ(pruned.size(), 1u);
    EXPECT_EQ(pruned[0].id, "RHSA-2024:0001");
    ASSERT_EQ(pruned[0].collections.size(), 1u);
    ASSERT_EQ(pruned[0].collections[0].packages.size(), 1u);
    EXPECT_EQ(pruned[0].collections[0].packages[0].name, "alpha");
    EXPECT_EQ(pruned[0].references.size(), 2u);
    EXPECT_EQ(pruned[0].description, "Fixes CVE-2024-1234.");
    EXPECT_EQ(out.find("gamma"), std::string::npos);
    // Deterministic.
    std::string again;
    StringSink sink_again(again);
    UpdateinfoWriter writer_again(sink_again);
    writer_again.add(advisories[0].xml, only_alpha);
    writer_again.add(advisories[1].xml, only_alpha);
    writer_again.finish();
    EXPECT_EQ(out, again);
    test_support::TempDir dir;
    test_support::write_text(dir / "u.xml", out);
    std::string output;
    EXPECT_EQ(test_support::run_command("xmllint --noout " + (dir / "u.xml").string(), &output), 0) << output;
}

TEST(MetadataUpdateinfo, MissingIdNamesLine) {
    std::string xml = kUpdateinfo;
    xml.replace(xml.find("<id>FEDORA-2024-2</id>"), 22, "");
    expect_error([&] { parse(xml, "updateinfo.xml.gz"); }, ErrorKind::invalid_input,
                 {"updateinfo.xml.gz line 35", "no <id>"});
}

// Found by the updateinfo fuzz target: a declared encoding the bytes do
// not convert from (here NUL bytes in "UTF-7") halted libxml2 silently: the
// document "ended" inside <description>, and the stored, unclosed <update>
// could not be read back by UpdateinfoWriter.
TEST(MetadataUpdateinfo, BytesTheDeclaredEncodingCannotConvertAreAnError) {
    using namespace std::string_literals;
    const std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n<updates>\n<update><id>X-1</id>"
                            "<description>Ce\0\0\0"s "025</description></update>\n</updates>\n";
    expect_error([&] { parse(xml); }, ErrorKind::invalid_input, {"updateinfo.xml line", "declared encoding"});
}

}  // namespace
}  // namespace chantal::metadata
