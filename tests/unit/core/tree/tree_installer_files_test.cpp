// Installer trees in the tree model (core/catalogue/installer_tree.h,
// core/tree/tree_contents.cpp): mirror trees show every installer row,
// generated trees and views those that fit their layout, a view the whole
// installer tree of its first member that has one, and no installer file
// ever becomes a package of generated repodata.
#include <gtest/gtest.h>

#include <map>

#include "core/base/file_util.h"
#include "core/catalogue/installer_tree.h"
#include "core/catalogue/repository_records.h"
#include "core/tree/tree.h"
#include "core/tree/tree_files.h"
#include "support/tree_test_catalogue.h"

using namespace chantal;
using tree_test::TestCatalogue;

namespace {

const std::string kInstaller(kInstallerTreeType);
const std::string kMirrorOnly(kInstallerTreeMirrorOnlyType);

std::map<std::string, PoolFile> walk(TestCatalogue& c, const TreeAddress& ref) {
    std::map<std::string, PoolFile> files;
    for_each_entry(c.db(), c.pool(), ref, nullptr, [&](const std::string& path, const PoolFile& file) { files[path] = file; });
    return files;
}

std::string read_pool(TestCatalogue& c, const PoolFile& file) {
    return read_file(c.pool().path_for(file.sha256, file.filename));
}

// "mirror": a mirror repo with an installer tree; "filtered": a generated
// repo with one that fits; "other": a generated repo whose .treeinfo names
// another layout; "second": a generated repo with an installer tree of its own.
struct Fixture {
    TestCatalogue c;
    std::int64_t mirror = c.add_repo("mirror", false);
    std::int64_t filtered = c.add_repo("filtered", true);
    std::int64_t other = c.add_repo("other", true);
    std::int64_t second = c.add_repo("second", true);
    Fixture() {
        c.add_latest_metadata(mirror, "repodata/repomd.xml", "repomd", "<repomd/>");
        c.add_latest_package(mirror, "Packages/a/alpha-1-1.noarch.rpm", c.add_package("alpha", "1", "Packages/a/alpha-1-1.noarch.rpm"));
        for (auto repo : {mirror, filtered}) {
            c.add_latest_metadata(repo, ".treeinfo", kInstaller, "[general]\n");
            c.add_latest_metadata(repo, "images/pxeboot/vmlinuz", kInstaller, "KERNEL");
            c.add_latest_metadata(repo, "images/install.img", kInstaller, "STAGE2");
        }
        c.add_latest_package(filtered, "Packages/b/beta-1-1.noarch.rpm", c.add_package("beta", "1", "beta-1-1.noarch.rpm"));
        c.add_latest_metadata(filtered, "repodata/up-repomd.xml", "repomd", "<not served/>");
        c.add_latest_package(other, "Packages/g/gamma-1-1.noarch.rpm", c.add_package("gamma", "1", "gamma-1-1.noarch.rpm"));
        c.add_latest_metadata(other, ".treeinfo", kMirrorOnly, "[variant-X]\nrepository = X\n");
        c.add_latest_metadata(other, "images/other.img", kMirrorOnly, "OTHER");
        c.add_latest_package(second, "Packages/d/delta-1-1.noarch.rpm", c.add_package("delta", "1", "delta-1-1.noarch.rpm"));
        c.add_latest_metadata(second, ".treeinfo", kInstaller, "[general]\nname = second\n");
        c.add_latest_metadata(second, "isolinux/vmlinuz", kInstaller, "SECOND KERNEL");
    }
};

std::size_t package_count(TestCatalogue& c, const TreeAddress& ref) {
    auto contents = open_tree_contents(c.db(), *resolve_tree(c.db(), ref));
    std::size_t count = 0;
    contents->for_each_package(c.db(), [&](const TreePackageRow&) { ++count; });
    return count;
}

}  // namespace

TEST(TreeInstallerFiles, MirrorAndGeneratedTreesServeTheInstallerTreeAtUpstreamPaths) {
    Fixture f;
    for (const char* repo : {"mirror", "filtered"}) {
        const auto files = walk(f.c, TreeAddress::repo_latest(repo));
        ASSERT_TRUE(files.count(".treeinfo")) << repo;
        EXPECT_EQ(read_pool(f.c, files.at("images/pxeboot/vmlinuz")), "KERNEL") << repo;
        EXPECT_EQ(read_pool(f.c, files.at("images/install.img")), "STAGE2") << repo;
        EXPECT_TRUE(files.count("repodata/repomd.xml")) << repo;
    }
    auto state = *resolve_tree(f.c.db(), TreeAddress::repo_latest("filtered"));
    auto contents = open_tree_contents(f.c.db(), state);
    const auto listing = contents->list(f.c.db(), "");
    ASSERT_TRUE(listing);
    std::vector<std::string> root;
    for (const auto& entry : *listing) root.push_back(entry.name);
    EXPECT_EQ(root, (std::vector<std::string>{".treeinfo", "Packages", "images"}));
    EXPECT_EQ(contents->lookup(f.c.db(), "images/pxeboot/vmlinuz")->file.size, 6u);
    // Installer files are no packages: the generated repodata lists beta alone.
    EXPECT_EQ(package_count(f.c, TreeAddress::repo_latest("filtered")), 1u);
}

TEST(TreeInstallerFiles, AnInstallerTreeOfAnotherLayoutIsLeftOutOfGeneratedTrees) {
    Fixture f;
    const auto files = walk(f.c, TreeAddress::repo_latest("other"));
    EXPECT_FALSE(files.count(".treeinfo"));
    EXPECT_FALSE(files.count("images/other.img"));
    EXPECT_TRUE(files.count("Packages/g/gamma-1-1.noarch.rpm"));
    // A mirror tree shows it whatever it says.
    f.c.db().execute("UPDATE repositories SET generated_tree = 0 WHERE repo_id = 'other'");
    EXPECT_TRUE(walk(f.c, TreeAddress::repo_latest("other")).count("images/other.img"));
}

TEST(TreeInstallerFiles, AViewServesTheWholeInstallerTreeOfItsFirstMemberThatHasOne) {
    Fixture f;
    f.c.add_view("boot", {f.other, f.second, f.filtered});
    const auto files = walk(f.c, TreeAddress::view_latest("boot"));
    EXPECT_EQ(read_pool(f.c, files.at(".treeinfo")), "[general]\nname = second\n");
    EXPECT_EQ(read_pool(f.c, files.at("isolinux/vmlinuz")), "SECOND KERNEL");
    EXPECT_FALSE(files.count("images/install.img"));  // never mixed with a later member's tree
    EXPECT_FALSE(files.count("images/other.img"));
    EXPECT_EQ(package_count(f.c, TreeAddress::view_latest("boot")), 3u);
    auto contents = open_tree_contents(f.c.db(), *resolve_tree(f.c.db(), TreeAddress::view_latest("boot")));
    EXPECT_TRUE(contents->lookup(f.c.db(), "isolinux")->directory);
    EXPECT_EQ(contents->list(f.c.db(), "isolinux")->size(), 1u);
    std::vector<std::string> names;
    contents->list_names(f.c.db(), "", [&](std::string_view name, bool, std::int64_t, std::string_view) { names.emplace_back(name); });
    EXPECT_EQ(names, (std::vector<std::string>{".treeinfo", "Packages", "isolinux"}));
}

TEST(TreeInstallerFiles, ViewSnapshotsKeepTheirMembersInstallerTree) {
    Fixture f;
    const auto snapshot = f.c.snapshot(f.filtered, "f1");
    const auto view = f.c.add_view("boot", {f.filtered});
    f.c.add_view_snapshot(view, "v1", {snapshot});
    f.c.db().execute("DELETE FROM repository_contents WHERE repository_id = " + std::to_string(f.filtered));
    const auto files = walk(f.c, TreeAddress::view_snapshot("boot", "v1"));
    EXPECT_EQ(read_pool(f.c, files.at("images/install.img")), "STAGE2");
}

TEST(TreeInstallerFiles, RepositorySummaryCountsTheInstallerTree) {
    Fixture f;
    const RepositorySummary mirror = summarize_repository(f.c.db(), "mirror");
    EXPECT_EQ(mirror.installer_files, 3);
    EXPECT_EQ(mirror.installer_bytes, std::string("[general]\nKERNELSTAGE2").size());
    EXPECT_TRUE(mirror.installer_in_generated_trees);
    EXPECT_FALSE(summarize_repository(f.c.db(), "other").installer_in_generated_trees);
    f.c.add_repo("none", false);
    EXPECT_EQ(summarize_repository(f.c.db(), "none").installer_files, 0);
}
