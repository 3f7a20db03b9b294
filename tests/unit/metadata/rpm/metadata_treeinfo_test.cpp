#include <gtest/gtest.h>

#include "metadata/rpm/treeinfo.h"
#include "support/metadata_test_support.h"

namespace chantal::metadata {
namespace {

using test::expect_error;

const std::string kVmlinuzSum(64, 'a');
const std::string kInitrdSum(64, 'b');

// The shape productmd writes for a Rocky/RHEL 9 BaseOS tree.
std::string baseos_treeinfo() {
    return "[checksums]\n"
           "images/install.img = sha256:" + std::string(64, 'C') + "\n"
           "images/pxeboot/initrd.img = sha256:" + kInitrdSum + "\n"
           "images/pxeboot/vmlinuz = sha256:" + kVmlinuzSum + "\n"
           "\n"
           "[general]\n"
           "; treeinfo v0 compatibility\n"
           "arch = x86_64\n"
           "packagedir = Packages\n"
           "repository = .\n"
           "\n"
           "[header]\n"
           "type = productmd.treeinfo\n"
           "version = 1.2\n"
           "\n"
           "[images-x86_64]\n"
           "initrd = images/pxeboot/initrd.img\n"
           "kernel = images/pxeboot/vmlinuz\n"
           "\n"
           "[stage2]\n"
           "mainimage = images/install.img\n"
           "\n"
           "[variant-BaseOS]\n"
           "id = BaseOS\n"
           "packages = Packages\n"
           "repository = .\n"
           "type = variant\n";
}

Treeinfo parse(const std::string& text) { return parse_treeinfo(text, "test: .treeinfo"); }

TEST(MetadataTreeinfo, ReadsChecksumsAndVariants) {
    const Treeinfo treeinfo = parse(baseos_treeinfo());
    ASSERT_EQ(treeinfo.files.size(), 3u);
    EXPECT_EQ(treeinfo.files[0].path, "images/install.img");
    EXPECT_EQ(treeinfo.files[0].sha256, std::string(64, 'c'));  // lowercased
    EXPECT_EQ(treeinfo.files[2].path, "images/pxeboot/vmlinuz");
    EXPECT_EQ(treeinfo.files[2].sha256, kVmlinuzSum);
    ASSERT_EQ(treeinfo.variants.size(), 1u);
    EXPECT_EQ(treeinfo.variants[0].id, "BaseOS");
    EXPECT_EQ(treeinfo.variants[0].repository, ".");
    EXPECT_EQ(treeinfo.variants[0].packages, "Packages");
    EXPECT_TRUE(fits_generated_layout(treeinfo));
}

TEST(MetadataTreeinfo, AcceptsCrlfCommentsAndNoChecksums) {
    const Treeinfo treeinfo = parse("# comment\r\n[general]\r\nfamily = Fedora\r\n");
    EXPECT_TRUE(treeinfo.files.empty());
    EXPECT_TRUE(treeinfo.variants.empty());
    EXPECT_TRUE(parse("").files.empty());
}

TEST(MetadataTreeinfo, LayoutOtherThanTheGeneratedOneIsNoticed) {
    EXPECT_FALSE(fits_generated_layout(parse("[variant-AppStream]\nrepository = AppStream\n")));
    EXPECT_FALSE(fits_generated_layout(parse("[variant-BaseOS]\nrepository = .\npackages = BaseOS/Packages\n")));
    EXPECT_TRUE(fits_generated_layout(parse("[variant-Everything]\nid = Everything\n")));
}

TEST(MetadataTreeinfo, PathsLeavingTheTreeAreRefusedByName) {
    const std::string sum = " = sha256:" + kVmlinuzSum + "\n";
    expect_error([&] { parse("[checksums]\n../../etc/shadow" + sum); }, ErrorKind::invalid_input,
                 {"test: .treeinfo:2", "'../../etc/shadow'"});
    expect_error([&] { parse("[checksums]\n/etc/passwd" + sum); }, ErrorKind::invalid_input, {"'/etc/passwd'"});
    expect_error([&] { parse("[checksums]\nimages//vmlinuz" + sum); }, ErrorKind::invalid_input, {"'images//vmlinuz'"});
    expect_error([&] { parse("[checksums]\nimages/./vmlinuz" + sum); }, ErrorKind::invalid_input, {"'images/./vmlinuz'"});
    expect_error([&] { parse("[checksums]\nimages/\\vmlinuz" + sum); }, ErrorKind::invalid_input, {"images/\\vmlinuz"});
    expect_error([&] { parse("[checksums]\nhttp://evil/x" + sum); }, ErrorKind::invalid_input, {"'http://evil/x'"});
    expect_error([&] { parse("[checksums]\n.treeinfo" + sum); }, ErrorKind::invalid_input, {".treeinfo itself"});
}

TEST(MetadataTreeinfo, ChecksumsMustBeSha256) {
    expect_error([] { parse("[checksums]\nimages/a = md5:0123456789abcdef0123456789abcdef\n"); },
                 ErrorKind::invalid_input, {"'images/a'", "sha256"});
    expect_error([] { parse("[checksums]\nimages/a = sha256:abc\n"); }, ErrorKind::invalid_input, {"'images/a'"});
    expect_error([] { parse("[checksums]\nimages/a = sha256:" + std::string(64, 'g') + "\n"); },
                 ErrorKind::invalid_input, {"'images/a'"});
    expect_error([] { parse("[checksums]\nimages/a =\n"); }, ErrorKind::invalid_input, {"'images/a'"});
}

TEST(MetadataTreeinfo, MalformedStructureIsRefusedWithItsLine) {
    expect_error([] { parse("key = value\n"); }, ErrorKind::invalid_input, {":1:", "outside a section"});
    expect_error([] { parse("[general]\n  continued\n"); }, ErrorKind::invalid_input, {":2:", "continuation"});
    expect_error([] { parse("[general]\nno equals sign\n"); }, ErrorKind::invalid_input, {":2:"});
    expect_error([] { parse("[general\n"); }, ErrorKind::invalid_input, {":1:", "section header"});
    expect_error([] { parse("[]\n"); }, ErrorKind::invalid_input, {":1:"});
    expect_error([] { parse("[a]\n[a]\n"); }, ErrorKind::invalid_input, {":2:", "repeated"});
    expect_error([] { parse("[a]\nk = 1\nk = 2\n"); }, ErrorKind::invalid_input, {":3:", "'k' repeated"});
    expect_error([] { parse("[a]\n= 1\n"); }, ErrorKind::invalid_input, {"empty key"});
    expect_error([] { parse(std::string("[a]\nk = \0\n", 9)); }, ErrorKind::invalid_input, {":2:", "control"});
    expect_error([] { parse("[a]\nk = \x1b[31m\n"); }, ErrorKind::invalid_input, {"control"});
}

TEST(MetadataTreeinfo, OversizedFilesAreRefused) {
    const std::string huge = "[general]\n" + std::string(kMaximumTreeinfoSize, '#');
    expect_error([&] { parse(huge); }, ErrorKind::invalid_input, {"larger than"});
}

}  // namespace
}  // namespace chantal::metadata
