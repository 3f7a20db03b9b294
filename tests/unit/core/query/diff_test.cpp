// Tree diff: per (name, arch) added/removed/upgraded/downgraded with rpm
// version ordering (epochs, '~', '^'), rebuilds, and diffs on the catalogue.
#include <gtest/gtest.h>

#include "core/config/config.h"
#include "core/query/diff_trees.h"
#include "core/tree/tree_packages.h"
#include "core/snapshots/snapshot_create.h"
#include "core/snapshots/view_reconcile.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::CatalogueFixture;
using test_support::FakePackage;
using test_support::TempDir;

namespace {

TreePackage package(const std::string& name, std::uint64_t epoch, const std::string& version, const std::string& release,
                    const std::string& arch = "x86_64", const std::string& sha256 = "") {
    TreePackage result;
    result.format = "rpm";
    result.name = name;
    result.epoch = epoch;
    result.version = version;
    result.release = release;
    result.arch = arch;
    result.filename = name + "-" + version + "-" + release + "." + arch + ".rpm";
    result.sha256 = sha256.empty() ? result.nevra() : sha256;
    return result;
}

std::string describe(const std::vector<PackageChange>& changes) {
    std::string text;
    for (const auto& change : changes)
        text += change.name + "." + change.arch + ":" + change.from_evr + ">" + change.to_evr + " ";
    return text;
}

}  // namespace

TEST(Diff, AddedRemovedUnchanged) {
    TreeDiff diff = diff_package_sets({package("a", 0, "1", "1"), package("b", 0, "1", "1")},
                                      {package("b", 0, "1", "1"), package("c", 0, "1", "1")});
    EXPECT_EQ(describe(diff.added), "c.x86_64:>1-1 ");
    EXPECT_EQ(describe(diff.removed), "a.x86_64:1-1> ");
    EXPECT_EQ(diff.unchanged, 1);
    EXPECT_TRUE(diff.upgraded.empty());
    EXPECT_TRUE(diff.advisories.empty());
}

TEST(Diff, TildeVersionsAndEpochs) {
    TreeDiff diff = diff_package_sets(
        {package("rc", 0, "1.0~rc1", "1"), package("ep", 1, "0.5", "1"), package("caret", 0, "1.0", "1"),
         package("rel", 0, "2.0", "1.el9"), package("num", 0, "1.10", "1")},
        {package("rc", 0, "1.0", "1"), package("ep", 0, "9.9", "1"), package("caret", 0, "1.0^git1", "1"),
         package("rel", 0, "2.0", "1.el9_1"), package("num", 0, "1.9", "1")});
    EXPECT_EQ(describe(diff.upgraded), "caret.x86_64:1.0-1>1.0^git1-1 rc.x86_64:1.0~rc1-1>1.0-1 rel.x86_64:2.0-1.el9>2.0-1.el9_1 ");
    EXPECT_EQ(describe(diff.downgraded), "ep.x86_64:1:0.5-1>9.9-1 num.x86_64:1.10-1>1.9-1 ");
    EXPECT_TRUE(diff.added.empty());
    EXPECT_TRUE(diff.removed.empty());
}

TEST(Diff, ArchesAreSeparate) {
    TreeDiff diff = diff_package_sets({package("glibc", 0, "2.34", "1", "x86_64"), package("glibc", 0, "2.34", "1", "i686")},
                                      {package("glibc", 0, "2.34", "2", "x86_64"), package("glibc", 0, "2.34", "1", "i686")});
    EXPECT_EQ(describe(diff.upgraded), "glibc.x86_64:2.34-1>2.34-2 ");
    EXPECT_EQ(diff.unchanged, 1);
}

TEST(Diff, SeveralVersionsPerNameReportEachChangeOnce) {
    // from keeps 1 and 2; to keeps 2 and 3: upgrade 2 -> 3, 1 removed, 2 unchanged.
    TreeDiff diff = diff_package_sets({package("k", 0, "1", "1"), package("k", 0, "2", "1")},
                                      {package("k", 0, "3", "1"), package("k", 0, "2", "1")});
    EXPECT_EQ(describe(diff.upgraded), "k.x86_64:2-1>3-1 ");
    EXPECT_EQ(describe(diff.removed), "k.x86_64:1-1> ");
    EXPECT_TRUE(diff.added.empty());
    EXPECT_EQ(diff.unchanged, 1);
}

TEST(Diff, RebuildUnderSameNevraIsChanged) {
    TreeDiff diff = diff_package_sets({package("a", 0, "1", "1", "x86_64", "old")}, {package("a", 0, "1", "1", "x86_64", "new")});
    EXPECT_EQ(describe(diff.changed), "a.x86_64:1-1>1-1 ");
    EXPECT_EQ(diff.unchanged, 0);
    EXPECT_FALSE(diff.empty());
}

TEST(Diff, SnapshotAgainstLatestOnTheCatalogue) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", {{"bash", 0, "5.1", "1"}, {"tzdata", 0, "2024a", "1", "noarch"}});
    create_repository_snapshot(fixture.database(), "base", "old", "");
    fixture.set_latest("base", {{"bash", 0, "5.2", "1"}, {"zsh", 0, "5.8", "1"}});
    TreeDiff diff = diff_trees(fixture.database(), TreeAddress::of_repository("base", "old"),
                               TreeAddress::of_repository("base", "latest"));
    EXPECT_EQ(describe(diff.upgraded), "bash.x86_64:5.1-1>5.2-1 ");
    EXPECT_EQ(describe(diff.added), "zsh.x86_64:>5.8-1 ");
    EXPECT_EQ(describe(diff.removed), "tzdata.noarch:2024a-1> ");
    TreeDiff same = diff_trees(fixture.database(), TreeAddress::of_repository("base", "latest"),
                               TreeAddress::of_repository("base", "latest"));
    EXPECT_TRUE(same.empty());
    EXPECT_EQ(same.unchanged, 2);
}

// Two repository trees are compared by their differing (name, arch) groups
// only; a group is still read whole, so a version kept on both sides takes
// part: dropping the newest of two versions is a downgrade, not a removal.
// The result equals diff_package_sets() of the whole trees.
TEST(Diff, RepositoryTreesGiveTheSameAsWholeLists) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    std::vector<FakePackage> before = {{"kernel", 0, "5.14", "1"}, {"kernel", 0, "5.14", "2"}, {"bash", 0, "5.1", "1"},
                                       {"glibc", 0, "2.34", "1", "i686"}, {"glibc", 0, "2.34", "1"},
                                       {"vim", 0, "9.0", "1"}, {"zlib", 0, "1.2", "1"}};
    for (int i = 0; i < 50; ++i) before.push_back({"same" + std::to_string(i), 0, "1.0", "1", i % 2 ? "noarch" : "x86_64"});
    fixture.set_latest("base", before);
    create_repository_snapshot(fixture.database(), "base", "old", "");
    std::vector<FakePackage> after = before;
    after.erase(after.begin() + 1);                                  // kernel 5.14-2 dropped, 5.14-1 kept
    after[1] = {"bash", 0, "5.1", "1", "x86_64", "rebuilt"};        // same NEVRA, other bytes
    after[2] = {"glibc", 0, "2.35", "1", "i686"};                    // one arch upgraded, the other not
    after.erase(after.begin() + 5);                                  // zlib removed
    after.push_back({"zsh", 0, "5.8", "1"});                         // added
    fixture.set_latest("base", after);

    const auto old_tree = TreeAddress::of_repository("base", "old");
    const auto latest = TreeAddress::of_repository("base", "latest");
    const TreeDiff diff = diff_trees(fixture.database(), old_tree, latest);
    EXPECT_EQ(describe(diff.downgraded), "kernel.x86_64:5.14-2>5.14-1 ");
    EXPECT_EQ(describe(diff.changed), "bash.x86_64:5.1-1>5.1-1 ");
    EXPECT_EQ(describe(diff.upgraded), "glibc.i686:2.34-1>2.35-1 ");
    EXPECT_EQ(describe(diff.removed), "zlib.x86_64:1.2-1> ");
    EXPECT_EQ(describe(diff.added), "zsh.x86_64:>5.8-1 ");
    for (const auto& [from, to] : {std::pair{old_tree, latest}, std::pair{latest, old_tree}}) {
        const TreeDiff whole = diff_package_sets(list_tree_packages(fixture.database(), from),
                                                 list_tree_packages(fixture.database(), to));
        const TreeDiff fast = diff_trees(fixture.database(), from, to);
        for (auto changes : {&TreeDiff::added, &TreeDiff::removed, &TreeDiff::upgraded, &TreeDiff::downgraded,
                             &TreeDiff::changed})
            EXPECT_EQ(describe(fast.*changes), describe(whole.*changes));
        EXPECT_EQ(fast.unchanged, whole.unchanged);
        EXPECT_EQ(fast.unchanged, 53);  // the 50 "same", kernel 5.14-1, glibc.x86_64, vim
    }
}

TEST(Diff, ViewSnapshotAgainstViewLatest) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", {{"bash", 0, "5.1", "1"}});
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "1"}});
    Config config;
    for (const char* id : {"base", "extra"}) {
        RepositoryConfig repository;
        repository.id = repository.name = id;
        repository.feed = "http://127.0.0.1:9/";
        config.repositories.push_back(repository);
    }
    config.views.push_back(ViewConfig{"all", "", {"base", "extra"}, std::nullopt, {}, {}});
    reconcile_views(fixture.database(), config);
    create_view_snapshot(fixture.database(), "all", "s1", "");
    fixture.set_latest("extra", {{"zsh", 1, "5.0", "1"}});
    TreeDiff diff = diff_trees(fixture.database(), TreeAddress::of_view("all", "s1"),
                               TreeAddress::of_view("all", "latest"));
    EXPECT_EQ(describe(diff.upgraded), "zsh.x86_64:5.8-1>1:5.0-1 ");
    EXPECT_EQ(diff.unchanged, 1);
}
