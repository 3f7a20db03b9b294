// upload_packages() into a hosted APT repository with real .deb files built
// by dpkg-deb: the catalogue rows a sync would make, Debian's pool path in
// the chosen component, the generated Packages index listing the upload,
// the identity rules with dpkg's version order (same bytes, --force, two
// files of one package), and refused files (not a .deb, truncated, without
// Version, an RPM, a component the repository lacks) that leave the state
// as it was. dpkg-deb is required: a missing tool fails the tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/hash.h"
#include "core/tree/package_format.h"
#include "core/tree/tree.h"
#include "metadata/deb/deb_file.h"
#include "support/deb_package.h"
#include "support/temp_dir.h"
#include "support/upload_fixture.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;
using test_support::write_text;

std::string control(const std::string& name, const std::string& version, const std::string& arch = "amd64",
                    const std::string& source = "") {
    return "Package: " + name + (source.empty() ? "" : "\nSource: " + source) + "\nVersion: " + version +
           "\nArchitecture: " + arch +
           "\nMaintainer: Chantal Tests <tests@example.org>\nInstalled-Size: 3\nSection: utils\n"
           "Description: upload test package " + name + "\n A longer text.\n";
}

using test_support::LatestRow;

class DebUploadTest : public test_support::UploadFixture {
protected:
    DebUploadTest() {
        hosted_.id = "local";
        hosted_.type = "apt";
        hosted_.apt.distribution = hosted_.apt.suite = hosted_.apt.codename = "stable";
        hosted_.apt.components = {"main", "extra"};
        hosted_.apt.architectures = {"amd64", "all"};
    }

    fs::path deb(const std::string& stem, const std::string& control_text, const std::string& content = "hello\n") {
        return test_support::build_deb(dir_.path(), stem, control_text, content);
    }

    // The text of one generated index file of latest ("dists/stable/...").
    std::string generated(const std::string& path) {
        auto state = resolve_tree(database(), TreeAddress::repo_latest(hosted_.id));
        if (!state) throw std::runtime_error("no latest");
        state->apt = hosted_.apt;
        const auto contents = open_tree_contents(database(), *state);
        const GeneratedFiles files = state->format->ensure_generated_files(database(), pool_, *contents);
        const GeneratedFile* file = files.find(path);
        if (!file) throw std::runtime_error("no generated " + path);
        return read_file(pool_.path_for(file->file.sha256, file->file.filename));
    }
};

TEST_F(DebUploadTest, CataloguesTheDebAsAnIndexWouldListItInDebiansPoolLayout) {
    const fs::path file = deb("upload-me", control("hello", "1:2.10-3", "amd64", "hello-src (2.10-2)"));
    const std::string sha256 = hex_digest_of_file(HashAlgorithm::sha256, file);
    const UploadReport report = upload({file});
    ASSERT_EQ(report.packages.size(), 1u);
    EXPECT_EQ(report.packages[0].outcome, UploadOutcome::added);
    EXPECT_EQ(report.packages[0].nevra, "hello_1:2.10-3_amd64");
    EXPECT_EQ(report.packages[0].sha256, sha256);
    const std::string path = "pool/main/h/hello-src/hello_2.10-3_amd64.deb";
    EXPECT_EQ(report.packages[0].path, path);
    EXPECT_TRUE(report.latest_changed);
    EXPECT_EQ(latest(), (std::vector<LatestRow>{{path, sha256}}));
    EXPECT_TRUE(pool_.has_file(sha256, "hello_2.10-3_amd64.deb", fs::file_size(file)));
    EXPECT_EQ(database().query_int64("SELECT generated_tree FROM repositories WHERE repo_id = 'local'"), 1);

    Statement row = database().prepare(
        "SELECT p.format, p.checksum_type, p.checksum, p.name, p.epoch, p.version, p.release, p.arch, p.sourcerpm, "
        "p.package_group, p.size_installed, p.location_href, m.primary_xml FROM packages p "
        "JOIN package_metadata m ON m.package_id = p.id");
    ASSERT_TRUE(row.step());
    EXPECT_EQ(row.column_text(0), "apt");
    EXPECT_EQ(row.column_text(1), "sha256");
    EXPECT_EQ(row.column_text(2), sha256);
    EXPECT_EQ(row.column_text(3), "hello");
    EXPECT_EQ(row.column_int64(4), 1);
    EXPECT_EQ(row.column_text(5), "2.10");
    EXPECT_EQ(row.column_text(6), "3");
    EXPECT_EQ(row.column_text(7), "amd64");
    EXPECT_EQ(row.column_text(8), "hello-src");
    EXPECT_EQ(row.column_text(9), "utils");
    EXPECT_EQ(row.column_int64(10), 3 * 1024);
    EXPECT_EQ(row.column_text(11), path);
    const std::string stanza =
        metadata::packages_stanza(metadata::read_deb_control(file), path, fs::file_size(file), sha256);
    EXPECT_EQ(row.column_text(12), stanza);
    EXPECT_FALSE(row.step());

    // The generated index lists it at its pool path, as apt-ftparchive would.
    EXPECT_EQ(generated("dists/stable/main/binary-amd64/Packages"), stanza);
    EXPECT_EQ(generated("dists/stable/extra/binary-amd64/Packages"), "");
}

TEST_F(DebUploadTest, ComponentChoosesThePoolAndAnUnknownOneIsRefused) {
    const fs::path file = deb("tool", control("libtool-x", "0.5", "all"));
    const UploadReport report = upload({file}, false, "extra");
    EXPECT_EQ(report.packages[0].path, "pool/extra/libt/libtool-x/libtool-x_0.5_all.deb");
    const std::string index = generated("dists/stable/extra/binary-amd64/Packages");
    EXPECT_NE(index.find("Filename: pool/extra/libt/libtool-x/libtool-x_0.5_all.deb\n"), std::string::npos) << index;
    expect_refused(hosted_, {deb("other", control("other", "1"))}, UploadOptions{false, "contrib"},
                   ErrorKind::invalid_input, "repo local", "has no component contrib (apt.components: main, extra)");
}

TEST_F(DebUploadTest, SameBytesAreANoOpAndVersionsCompareAsDpkgDoes) {
    const fs::path file = deb("hello", control("hello", "2.0-1"));
    upload({file});
    const auto before = latest();
    const UploadReport again = upload({file, file});
    EXPECT_EQ(again.packages[0].outcome, UploadOutcome::unchanged);
    EXPECT_EQ(again.packages[1].outcome, UploadOutcome::unchanged);
    EXPECT_FALSE(again.latest_changed);
    EXPECT_EQ(latest(), before);
    EXPECT_EQ(count("packages"), 1);

    // "0:2.0-1" is the version "2.0-1" in dpkg's order: the same package.
    const fs::path epoch_zero = deb("hello-epoch", control("hello", "0:2.0-1"), "other bytes\n");
    expect_refused({epoch_zero}, ErrorKind::conflict, epoch_zero.string(), "--force");
    // Another version or architecture is another package.
    const fs::path newer = deb("hello-newer", control("hello", "2.0-1+b1"));
    const fs::path arm = deb("hello-arm", control("hello", "2.0-1", "arm64"));
    const UploadReport more = upload({newer, arm});
    EXPECT_EQ(more.packages[0].outcome, UploadOutcome::added);
    EXPECT_EQ(more.packages[1].outcome, UploadOutcome::added);
    EXPECT_EQ(more.packages_total, 3);
}

TEST_F(DebUploadTest, DifferentBytesOfAHeldPackageAreRefusedUnlessForced) {
    const fs::path first = deb("first", control("hello", "2.0-1"), "first build\n");
    const fs::path second = deb("second", control("hello", "2.0-1"), "second build\n");
    const fs::path other = deb("world", control("world", "1.0"));
    const std::string old_sha256 = upload({first}).packages[0].sha256;
    expect_refused({other, second}, ErrorKind::conflict, second.string(), "upload with --force to replace it");

    const UploadReport forced = upload({other, second}, true);
    EXPECT_EQ(forced.packages[0].outcome, UploadOutcome::added);
    EXPECT_EQ(forced.packages[1].outcome, UploadOutcome::replaced);
    EXPECT_EQ(forced.packages[1].replaced_sha256, old_sha256);
    EXPECT_EQ(latest(), (std::vector<LatestRow>{{"pool/main/h/hello/hello_2.0-1_amd64.deb", forced.packages[1].sha256},
                                                {"pool/main/w/world/world_1.0_amd64.deb", forced.packages[0].sha256}}));
    const std::string index = generated("dists/stable/main/binary-amd64/Packages");
    EXPECT_NE(index.find("SHA256: " + forced.packages[1].sha256), std::string::npos) << index;
    EXPECT_EQ(index.find("SHA256: " + old_sha256), std::string::npos) << index;
}

TEST_F(DebUploadTest, TwoDifferentFilesOfOnePackageInOneUploadAreRefused) {
    const fs::path first = deb("first", control("hello", "2.0-1"), "first build\n");
    const fs::path second = deb("second", control("hello", "2.0-1"), "second build\n");
    expect_refused({first, second}, ErrorKind::conflict, "are different files of hello_2.0-1_amd64", "", true);
    EXPECT_TRUE(latest().empty());
}

TEST_F(DebUploadTest, BrokenFilesAndOtherFormatsAreRefusedNamingTheFile) {
    upload({deb("hello", control("hello", "2.0-1"))});
    const fs::path text = dir_ / "notes.deb";
    write_text(text, "this is not a package\n");
    const std::string bytes = read_file(deb("world", control("world", "1.0"), std::string(5000, 'w')));
    const fs::path truncated = dir_ / "truncated.deb";
    write_text(truncated, bytes.substr(0, bytes.size() - 100));
    const fs::path no_version = test_support::build_deb(
        dir_.path(), "no-version",
        "Package: x\nArchitecture: all\nMaintainer: a <a@example.org>\nDescription: x\n", "x\n", false);
    const fs::path source_arch = test_support::build_deb(dir_.path(), "source-arch", control("s", "1", "source"), "s\n", false);
    const fs::path rpm = dir_ / "hello-1.0-1.noarch.rpm";
    write_text(rpm, std::string("\xed\xab\xee\xdb\x03\x00\x00\x00", 8) + std::string(200, '\0'));
    const fs::path good = deb("good", control("good", "1"));

    expect_refused({good, text}, ErrorKind::invalid_input, text.string(), "not an intact Debian package");
    expect_refused({good, truncated}, ErrorKind::invalid_input, truncated.string(), "");
    expect_refused({good, no_version}, ErrorKind::invalid_input, no_version.string(), "no Version field");
    expect_refused({good, source_arch}, ErrorKind::invalid_input, source_arch.string(), "Architecture: source");
    expect_refused({good, rpm}, ErrorKind::invalid_input, rpm.string(),
                   "holds a package of another format (RPM package); repo local is type apt and takes Debian "
                   "package (.deb) files");

    // And the other way round: a .deb into an RPM repository, which has no components either.
    RepositoryConfig rpm_repo;
    rpm_repo.id = "rpms";
    rpm_repo.mode = RepositoryMode::hosted;
    expect_refused(rpm_repo, {good}, {}, ErrorKind::invalid_input, good.string(),
                   "holds a package of another format (Debian package (.deb)); repo rpms is type rpm and takes RPM "
                   "package files");
    expect_refused(rpm_repo, {good}, UploadOptions{false, "main"}, ErrorKind::invalid_input, "repo rpms is type rpm",
                   "RPM repositories have no components");
}

}  // namespace
}  // namespace chantal
