// Export and publish of static trees (core/export/export_tree.h, link_or_copy.h,
// export_staging.h, export_marker.h): hardlinks into the pool, the same
// files as the tree model's walk, atomic replacement (the old tree stays
// complete until the swap), unchanged re-export writes nothing, refusal to
// replace a foreign directory, EXDEV (a real tmpfs) and EMLINK (a seam)
// fallbacks to copies.
#include "core/export/export_tree.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/export/export_marker.h"
#include "core/tree/tree_files.h"
#include "support/tree_test_catalogue.h"

using namespace chantal;
using tree_test::TestCatalogue;

namespace {

// A mirror repo "base" (repodata and packages, one nested) and a generated
// repo "extra", as in tree_test.cpp.
struct Fixture {
    TestCatalogue c;
    std::int64_t base = c.add_repo("base", false);
    std::int64_t extra = c.add_repo("extra", true, 1700000100);
    Fixture() {
        c.add_latest_metadata(base, "repodata/repomd.xml", "repomd", "<repomd/>");
        c.add_latest_metadata(base, "repodata/aa-primary.xml.gz", "primary", "P");
        c.add_latest_package(base, "Packages/alpha-1.0-1.noarch.rpm", c.add_package("alpha", "1.0", "Packages/alpha-1.0-1.noarch.rpm"));
        c.add_latest_package(base, "Packages/sub/zeta-1-1.noarch.rpm", c.add_package("zeta", "1", "Packages/sub/zeta-1-1.noarch.rpm"));
        c.add_latest_package(extra, "Packages/g/gamma-1-1.noarch.rpm", c.add_package("gamma", "1", "gamma-1-1.noarch.rpm"));
    }
    std::filesystem::path out(const std::string& name) const { return c.root() / "out" / name; }
};

std::map<std::string, PoolFile> walk(TestCatalogue& c, const TreeAddress& ref) {
    std::map<std::string, PoolFile> files;
    for_each_entry(c.db(), c.pool(), ref, nullptr, [&](const std::string& path, const PoolFile& file) { files[path] = file; });
    return files;
}

// Relative path -> contents of every regular file below root.
std::map<std::string, std::string> files_in(const std::filesystem::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
        if (entry.is_regular_file()) files[entry.path().lexically_relative(root).string()] = read_file(entry.path());
    return files;
}

struct stat stat_of(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info;
}

// Nothing but the destination itself in its parent (no staging leftovers).
std::vector<std::string> siblings(const std::filesystem::path& destination) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(destination.parent_path()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// A tmpfs mounted for one test, unmounted (lazily) on destruction even when
// the test fails.
class TmpfsMount {
public:
    explicit TmpfsMount(std::filesystem::path where) : where_(std::move(where)) {
        chantal::create_directories(where_);
        mounted_ = ::mount("tmpfs", where_.c_str(), "tmpfs", 0, "size=64m") == 0;
        error_ = errno;
    }
    ~TmpfsMount() {
        if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }
    int error() const { return error_; }

private:
    std::filesystem::path where_;
    bool mounted_ = false;
    int error_ = 0;
};

}  // namespace

TEST(Export, MirrorTreeIsHardlinkedFromThePool) {
    Fixture f;
    const auto dest = f.out("base");
    const auto result = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    EXPECT_FALSE(result.unchanged);
    EXPECT_FALSE(result.replaced);
    EXPECT_EQ(result.tree, "repos/base/latest");
    EXPECT_EQ(result.files, 4u);
    EXPECT_EQ(result.placements.linked_files, 4u);
    EXPECT_EQ(result.placements.copied_files(), 0u);
    const auto expected = walk(f.c, TreeAddress::repo_latest("base"));
    const auto exported = files_in(dest);
    ASSERT_EQ(exported.size(), expected.size());
    for (const auto& [path, file] : expected) {
        const auto pool_file = f.c.pool().path_for(file.sha256, file.filename);
        EXPECT_EQ(exported.at(path), read_file(pool_file)) << path;
        EXPECT_EQ(stat_of(dest / path).st_ino, stat_of(pool_file).st_ino) << path;
    }
    EXPECT_EQ(stat_of(dest).st_mode & 07777, 0755u);
    EXPECT_EQ(siblings(dest), (std::vector<std::string>{"base"}));
    const auto marker = read_export_marker(dest);
    ASSERT_TRUE(marker);
    EXPECT_EQ(marker->tree, "repos/base/latest");
    EXPECT_EQ(marker->digest, result.digest);
}

TEST(Export, GeneratedTreeHoldsTheSameFilesAsTheTreeModel) {
    Fixture f;
    const auto dest = f.out("extra");
    const auto result = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("extra"), dest);
    const auto expected = walk(f.c, TreeAddress::repo_latest("extra"));
    const auto exported = files_in(dest);
    ASSERT_EQ(exported.size(), expected.size());
    EXPECT_TRUE(exported.contains("repodata/repomd.xml"));
    EXPECT_TRUE(exported.contains("Packages/g/gamma-1-1.noarch.rpm"));
    for (const auto& [path, file] : expected)
        EXPECT_EQ(exported.at(path), read_file(f.c.pool().path_for(file.sha256, file.filename))) << path;
    EXPECT_EQ(result.placements.linked_files, expected.size());
}

TEST(Export, SnapshotAndViewTrees) {
    Fixture f;
    const auto snapshot = f.c.snapshot(f.base, "s1");
    f.c.add_view("all", {f.base, f.extra});
    const auto view = f.c.db().query_int64("SELECT id FROM views WHERE name = 'all'");
    f.c.add_view_snapshot(view, "v1", {snapshot, f.c.snapshot(f.extra, "s1")});
    for (const auto& tree : {TreeAddress::repo_snapshot("base", "s1"), TreeAddress::view_latest("all"),
                             TreeAddress::view_snapshot("all", "v1")}) {
        const auto dest = f.out("tree") / tree.path();
        export_tree(f.c.db(), f.c.pool(), tree, dest);
        EXPECT_EQ(files_in(dest).size(), walk(f.c, tree).size()) << tree.path();
    }
    EXPECT_THROW(export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_snapshot("base", "nope"), f.out("x")), Error);
    EXPECT_FALSE(std::filesystem::exists(f.out("x")));
}

TEST(Export, UnchangedReexportWritesNothing) {
    Fixture f;
    const auto dest = f.out("base");
    const auto first = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    const auto root_before = stat_of(dest);
    const auto file_before = stat_of(dest / "Packages/alpha-1.0-1.noarch.rpm");
    ::usleep(20000);
    const auto second = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    EXPECT_TRUE(second.unchanged);
    EXPECT_EQ(second.digest, first.digest);
    EXPECT_EQ(second.placements.linked_files + second.placements.copied_files(), 0u);
    const auto root_after = stat_of(dest);
    EXPECT_EQ(root_after.st_ino, root_before.st_ino);
    EXPECT_EQ(root_after.st_mtim.tv_sec, root_before.st_mtim.tv_sec);
    EXPECT_EQ(root_after.st_mtim.tv_nsec, root_before.st_mtim.tv_nsec);
    EXPECT_EQ(stat_of(dest / "Packages/alpha-1.0-1.noarch.rpm").st_ino, file_before.st_ino);
    EXPECT_EQ(siblings(dest), (std::vector<std::string>{"base"}));

    // A file removed by hand makes the next export rebuild, not skip.
    std::filesystem::remove(dest / "Packages/alpha-1.0-1.noarch.rpm");
    const auto third = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    EXPECT_FALSE(third.unchanged);
    EXPECT_TRUE(third.replaced);
    EXPECT_TRUE(std::filesystem::exists(dest / "Packages/alpha-1.0-1.noarch.rpm"));
}

TEST(Export, OldTreeStaysCompleteUntilTheSwap) {
    Fixture f;
    const auto dest = f.out("base");
    export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    const auto old_files = files_in(dest);
    f.c.add_latest_package(f.base, "Packages/beta-1-1.noarch.rpm", f.c.add_package("beta", "1", "Packages/beta-1-1.noarch.rpm"));

    ExportOptions options;
    int checks = 0;
    options.on_progress = [&](const ExportProgress& progress) {
        // While the new tree is built, the destination is the complete old one.
        EXPECT_EQ(files_in(dest), old_files) << "after " << progress.files_done << " files";
        ++checks;
    };
    const auto result = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest, options);
    EXPECT_EQ(checks, 5);
    EXPECT_TRUE(result.replaced);
    EXPECT_EQ(files_in(dest).size(), old_files.size() + 1);
    EXPECT_TRUE(std::filesystem::exists(dest / "Packages/beta-1-1.noarch.rpm"));
    EXPECT_EQ(siblings(dest), (std::vector<std::string>{"base"}));
}

TEST(Export, FailureLeavesTheDestinationAsItWas) {
    Fixture f;
    const auto dest = f.out("base");
    export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    const auto old_files = files_in(dest);
    f.c.add_latest_package(f.base, "Packages/beta-1-1.noarch.rpm", f.c.add_package("beta", "1", "Packages/beta-1-1.noarch.rpm"));
    ExportOptions options;
    int calls = 0;
    options.link = [&](const std::filesystem::path& from, const std::filesystem::path& to) {
        return ++calls == 3 ? EIO : FilePlacer::system_link(from, to);
    };
    try {
        export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest, options);
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::io);
        EXPECT_EQ(error.system_errno(), EIO);
    }
    EXPECT_EQ(files_in(dest), old_files);
    EXPECT_EQ(siblings(dest), (std::vector<std::string>{"base"}));
}

TEST(Export, RefusesToReplaceAForeignDirectory) {
    Fixture f;
    const auto dest = f.out("home");
    test_support::write_text(dest / "precious.txt", "keep me");
    try {
        export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
        FAIL() << "expected a conflict";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::conflict);
        EXPECT_NE(std::string(error.what()).find(dest.string()), std::string::npos) << error.what();
    }
    EXPECT_EQ(read_file(dest / "precious.txt"), "keep me");
    EXPECT_EQ(siblings(dest), (std::vector<std::string>{"home"}));

    // An empty directory is fine (mkdir DEST first, then export).
    chantal::create_directories(f.out("empty"));
    EXPECT_NO_THROW(export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), f.out("empty")));
    EXPECT_EQ(files_in(f.out("empty")).size(), 4u);
}

TEST(Export, LinkLimitFallsBackToCopies) {
    Fixture f;
    ExportOptions options;
    int calls = 0;
    // Every other file's pool file is "full" (as ext4 is at 65000 links).
    options.link = [&](const std::filesystem::path& from, const std::filesystem::path& to) {
        return ++calls % 2 == 0 ? EMLINK : FilePlacer::system_link(from, to);
    };
    const auto dest = f.out("base");
    const auto result = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest, options);
    EXPECT_EQ(calls, 4);  // EMLINK is per file: linking is tried for each
    EXPECT_EQ(result.placements.linked_files, 2u);
    EXPECT_EQ(result.placements.copied_link_limit_files, 2u);
    EXPECT_EQ(result.placements.copied_cross_device_files, 0u);
    EXPECT_EQ(result.placements.linked_bytes + result.placements.copied_link_limit_bytes, result.bytes);
    int copies = 0;
    for (const auto& [path, file] : walk(f.c, TreeAddress::repo_latest("base"))) {
        const auto pool_file = f.c.pool().path_for(file.sha256, file.filename);
        EXPECT_EQ(read_file(dest / path), read_file(pool_file)) << path;
        if (stat_of(dest / path).st_ino != stat_of(pool_file).st_ino) ++copies;
    }
    EXPECT_EQ(copies, 2);
}

TEST(Export, CrossDeviceSeamCopiesEverythingAfterTheFirstRefusal) {
    Fixture f;
    ExportOptions options;
    int calls = 0;
    options.link = [&](const std::filesystem::path&, const std::filesystem::path&) { return ++calls, EXDEV; };
    const auto result = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), f.out("base"), options);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(result.placements.copied_cross_device_files, 4u);
    EXPECT_EQ(result.placements.copied_cross_device_bytes, result.bytes);
}

TEST(Export, AnotherFileSystemGetsCopies) {
    if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
    Fixture f;
    TmpfsMount tmpfs(f.c.root() / "tmpfs");
    if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(tmpfs.error());
    const auto dest = f.c.root() / "tmpfs" / "export" / "base";
    const auto result = export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest);
    EXPECT_EQ(result.placements.linked_files, 0u);
    EXPECT_EQ(result.placements.copied_cross_device_files, 4u);
    for (const auto& [path, file] : walk(f.c, TreeAddress::repo_latest("base")))
        EXPECT_EQ(read_file(dest / path), read_file(f.c.pool().path_for(file.sha256, file.filename))) << path;
    // Re-export on tmpfs (user xattrs) is detected as unchanged too.
    EXPECT_TRUE(export_tree(f.c.db(), f.c.pool(), TreeAddress::repo_latest("base"), dest).unchanged);
}

TEST(Export, CopyFileContentsCopiesLargeFiles) {
    test_support::TempDir dir;
    std::string big(3 * 1024 * 1024 + 17, 'x');
    for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
    test_support::write_text(dir / "in", big);
    copy_file_contents(dir / "in", dir / "out");
    EXPECT_EQ(read_file(dir / "out"), big);
    EXPECT_THROW(copy_file_contents(dir / "in", dir / "out"), Error);  // never overwrites
    EXPECT_THROW(copy_file_contents(dir / "missing", dir / "out2"), Error);
    EXPECT_FALSE(std::filesystem::exists(dir / "out2"));
}

TEST(Export, MarkerRoundTrip) {
    test_support::TempDir dir;
    EXPECT_FALSE(read_export_marker(dir.path()));
    const ExportMarker marker{"views/v/snapshots/n", std::string(64, 'a'), 42};
    write_export_marker(dir.path(), marker);
    EXPECT_EQ(read_export_marker(dir.path()), marker);
    ExportDigest one, two;
    one.add("a", "x", 1);
    two.add("a", "x", 2);
    EXPECT_NE(one.finish(), two.finish());
}
