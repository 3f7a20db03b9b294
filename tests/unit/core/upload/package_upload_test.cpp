// upload_packages() with real packages built by rpmbuild: catalogue rows and
// per-package XML against what createrepo_c writes for the same files, the
// NEVRA rules (identical re-upload, --force), and refused files (not an
// RPM, truncated, not hosted, busy) that leave the state as it was.
// rpmbuild and createrepo_c are required: missing tools fail the tests.
#include "core/upload/package_upload.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/sync/sync_lock.h"
#include "core/upload/upload_sources.h"
#include "metadata/rpm/filelists.h"
#include "metadata/rpm/other.h"
#include "metadata/rpm/primary.h"
#include "support/temp_dir.h"
#include "support/upload_fixture.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;
using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

// A spec whose payload holds `content`, with a changelog and a dependency,
// so that every element createrepo_c writes has something in it.
std::string spec(const std::string& name, const std::string& version, const std::string& content) {
    return "Name: " + name + "\nVersion: " + version +
           "\nRelease: 1\nSummary: Upload test package " + name +
           "\nLicense: MIT\nBuildArch: noarch\nRequires: bash\nProvides: " + name + "-capability = " + version +
           "\n%description\nA package to upload.\n%install\nmkdir -p %{buildroot}/usr/share/" + name +
           "\necho '" + content + "' > %{buildroot}/usr/share/" + name + "/data\n%files\n/usr/share/" + name +
           "/data\n%changelog\n* Mon Jan 01 2024 Tester <t@example.com> - " + version +
           "-1\n- First build\n";
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Builds one noarch package under `dir`/<tag> and returns its path.
fs::path build_rpm(const fs::path& dir, const std::string& tag, const std::string& name, const std::string& version,
                   const std::string& content) {
    const fs::path top = dir / ("rpmbuild-" + tag);
    write_text(top / "package.spec", spec(name, version, content));
    std::string output;
    const int status = run_command("rpmbuild --quiet --define '_topdir " + top.string() + "' -bb " +
                                       (top / "package.spec").string() + " </dev/null",
                                   &output);
    if (status != 0) throw std::runtime_error("rpmbuild failed:\n" + output);
    const fs::path rpm = top / "RPMS" / "noarch" / (name + "-" + version + "-1.noarch.rpm");
    if (!fs::exists(rpm)) throw std::runtime_error("rpmbuild made no " + rpm.string());
    return rpm;
}

using test_support::LatestRow;
using PackageUploadTest = test_support::UploadFixture;

// The one <package> fragment of a createrepo_c file of one package.
template <typename Reader>
std::string only_fragment(const fs::path& file, Reader read) {
    const std::string bytes = read_bytes(file);
    metadata::MemorySource source(bytes, file.string());
    metadata::DecompressingReader input(source, 1u << 30);
    std::vector<std::string> fragments;
    read(input, fragments);
    if (fragments.size() != 1) throw std::runtime_error(file.string() + ": not one package");
    return fragments.front();
}

fs::path repodata_file(const fs::path& repo, const std::string& type) {
    for (const auto& entry : fs::directory_iterator(repo / "repodata"))
        if (entry.path().filename().string().find("-" + type + ".xml") != std::string::npos) return entry.path();
    throw std::runtime_error("createrepo_c wrote no " + type);
}

TEST_F(PackageUploadTest, CataloguesThePackageAsCreaterepoCDescribesIt) {
    const fs::path rpm = build_rpm(dir_.path(), "hello", "hello", "1.0", "hello");
    const fs::path repo = dir_ / "createrepo";
    fs::create_directories(repo);
    fs::copy_file(rpm, repo / rpm.filename());
    std::string output;
    ASSERT_EQ(run_command("createrepo_c --quiet " + repo.string() + " </dev/null", &output), 0) << output;

    const UploadReport report = upload({repo / rpm.filename()});
    ASSERT_EQ(report.packages.size(), 1u);
    EXPECT_EQ(report.packages[0].outcome, UploadOutcome::added);
    EXPECT_EQ(report.packages[0].nevra, "hello-1.0-1.noarch");
    EXPECT_EQ(report.packages[0].path, "Packages/h/hello-1.0-1.noarch.rpm");
    EXPECT_TRUE(report.latest_changed);
    EXPECT_EQ(report.packages_total, 1);
    const std::string sha256 = report.packages[0].sha256;
    EXPECT_EQ(latest(), (std::vector<LatestRow>{{"Packages/h/hello-1.0-1.noarch.rpm", sha256}}));
    EXPECT_TRUE(pool_.has_file(sha256, "hello-1.0-1.noarch.rpm", fs::file_size(rpm)));
    EXPECT_EQ(database().query_int64("SELECT generated_tree FROM repositories WHERE repo_id = 'internal'"), 1);
    EXPECT_GT(latest_changed_at(), 0);

    Statement row = database().prepare(
        "SELECT p.name, p.version, p.release, p.arch, p.checksum_type, p.checksum, m.primary_xml, m.filelists_xml, "
        "m.other_xml FROM packages p JOIN package_metadata m ON m.package_id = p.id");
    ASSERT_TRUE(row.step());
    EXPECT_EQ(row.column_text(0), "hello");
    EXPECT_EQ(row.column_text(1), "1.0");
    EXPECT_EQ(row.column_text(2), "1");
    EXPECT_EQ(row.column_text(3), "noarch");
    EXPECT_EQ(row.column_text(4), "sha256");
    EXPECT_EQ(row.column_text(5), sha256);
    const std::string primary = only_fragment(repodata_file(repo, "primary"), [](auto& input, auto& out) {
        metadata::read_primary(input, [&](metadata::PrimaryPackage& package) { out.push_back(package.xml); });
    });
    const std::string filelists = only_fragment(repodata_file(repo, "filelists"), [](auto& input, auto& out) {
        metadata::read_filelists(input, [&](metadata::FilelistsPackage& package) { out.push_back(package.xml); });
    });
    const std::string other = only_fragment(repodata_file(repo, "other"), [](auto& input, auto& out) {
        metadata::read_other(input, [&](metadata::OtherPackage& package) { out.push_back(package.xml); });
    });
    EXPECT_EQ(row.column_text(6), primary);
    EXPECT_EQ(row.column_text(7), filelists);
    EXPECT_EQ(row.column_text(8), other);
    EXPECT_NE(primary.find("<rpm:entry name=\"bash\"/>"), std::string::npos) << primary;
    EXPECT_NE(filelists.find("/usr/share/hello/data"), std::string::npos) << filelists;
    EXPECT_NE(other.find("First build"), std::string::npos) << other;
    EXPECT_FALSE(row.step());
}

TEST_F(PackageUploadTest, IdenticalReuploadChangesNothing) {
    const fs::path rpm = build_rpm(dir_.path(), "hello", "hello", "1.0", "hello");
    upload({rpm});
    const auto before = latest();
    const std::int64_t changed_at = latest_changed_at();
    const UploadReport again = upload({rpm, rpm});
    ASSERT_EQ(again.packages.size(), 2u);
    EXPECT_EQ(again.packages[0].outcome, UploadOutcome::unchanged);
    EXPECT_EQ(again.packages[1].outcome, UploadOutcome::unchanged);
    EXPECT_FALSE(again.latest_changed);
    EXPECT_EQ(latest(), before);
    EXPECT_EQ(latest_changed_at(), changed_at);
    EXPECT_EQ(count("packages"), 1);
}

TEST_F(PackageUploadTest, DifferentFileOfAHeldNevraIsRefusedUnlessForced) {
    const fs::path first = build_rpm(dir_.path(), "first", "hello", "1.0", "first build");
    const fs::path second = build_rpm(dir_.path(), "second", "hello", "1.0", "second build");
    const fs::path other = build_rpm(dir_.path(), "world", "world", "2.0", "world");
    const std::string old_sha256 = upload({first}).packages[0].sha256;
    const std::int64_t changed_at = latest_changed_at();
    // world is not added either: one upload, one decision.
    expect_refused({other, second}, ErrorKind::conflict, second.string(), "--force");

    const UploadReport forced = upload({other, second}, true);
    EXPECT_EQ(forced.packages[0].outcome, UploadOutcome::added);
    EXPECT_EQ(forced.packages[1].outcome, UploadOutcome::replaced);
    EXPECT_EQ(forced.packages[1].replaced_sha256, old_sha256);
    EXPECT_EQ(latest(), (std::vector<LatestRow>{{"Packages/h/hello-1.0-1.noarch.rpm", forced.packages[1].sha256},
                                                {"Packages/w/world-2.0-1.noarch.rpm", forced.packages[0].sha256}}));
    EXPECT_GT(latest_changed_at(), changed_at);
}

TEST_F(PackageUploadTest, TwoDifferentFilesOfOneNevraInOneUploadAreRefused) {
    const fs::path first = build_rpm(dir_.path(), "first", "hello", "1.0", "first build");
    const fs::path second = build_rpm(dir_.path(), "second", "hello", "1.0", "second build");
    EXPECT_THROW(upload({first, second}, true), Error);
    EXPECT_TRUE(latest().empty());
}

TEST_F(PackageUploadTest, NonRpmAndTruncatedFilesAreRefusedAndChangeNothing) {
    const fs::path rpm = build_rpm(dir_.path(), "hello", "hello", "1.0", "hello");
    upload({rpm});
    const fs::path text = dir_ / "notes.rpm";
    write_text(text, "this is not a package\n");
    const std::string bytes = read_bytes(build_rpm(dir_.path(), "world", "world", "2.0", std::string(4000, 'w')));
    const fs::path truncated = dir_ / "world-2.0-1.noarch.rpm";
    std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() - 100);
    const fs::path headless = dir_ / "headless.rpm";
    std::ofstream(headless, std::ios::binary) << bytes.substr(0, 200);

    expect_refused({rpm, text}, ErrorKind::invalid_input, text.string(), "not an RPM package");
    expect_refused({rpm, truncated}, ErrorKind::invalid_input, truncated.string(), "damaged RPM package");
    expect_refused({rpm, headless}, ErrorKind::invalid_input, headless.string(), "");
}

TEST_F(PackageUploadTest, OnlyHostedRepositoriesTakeUploads) {
    const fs::path rpm = build_rpm(dir_.path(), "hello", "hello", "1.0", "hello");
    RepositoryConfig mirror;
    mirror.id = "upstream";
    mirror.feed = "https://example.com/repo";
    try {
        upload_packages(config_, mirror, database(), pool_, {rpm}, {});
        FAIL() << "a mirror took an upload";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(error.what()).find("mode: hosted"), std::string::npos) << error.what();
    }
    EXPECT_EQ(count("packages"), 0);
}

TEST_F(PackageUploadTest, WaitsForNoSyncOrUploadOfTheRepository) {
    const fs::path rpm = build_rpm(dir_.path(), "hello", "hello", "1.0", "hello");
    {
        FileLock held(sync_lock_path(pool_.temp_root(), hosted_.id), "a test");
        try {
            upload({rpm});
            FAIL() << "an upload ran while the repository's lock was held";
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::busy);
        }
        EXPECT_TRUE(latest().empty());
    }
    EXPECT_EQ(upload({rpm}).packages_total, 1);
}

TEST(UploadSources, DirectoryGivesItsRpmFilesSortedAndRecursiveDescends) {
    TempDir dir;
    write_text(dir / "b.rpm", "b");
    write_text(dir / "a.rpm", "a");
    write_text(dir / "readme.txt", "not a package");
    write_text(dir / "sub" / "c.rpm", "c");
    EXPECT_EQ(package_files_in(dir.path(), false, ".rpm"), (std::vector<fs::path>{dir / "a.rpm", dir / "b.rpm"}));
    EXPECT_EQ(package_files_in(dir.path(), true, ".rpm"),
              (std::vector<fs::path>{dir / "a.rpm", dir / "b.rpm", dir.path() / "sub" / "c.rpm"}));
    EXPECT_THROW(package_files_in(dir / "sub" / "missing", true, ".rpm"), Error);
    fs::create_directories(dir / "empty");
    EXPECT_THROW(package_files_in(dir / "empty", true, ".rpm"), Error);
}

}  // namespace
}  // namespace chantal
