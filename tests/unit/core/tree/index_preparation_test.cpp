#include "core/tree/index_preparation.h"

#include <gtest/gtest.h>

#include "core/tree/rpm/generated_repodata.h"
#include "core/tree/tree.h"
#include "support/tree_test_catalogue.h"

namespace chantal {
namespace {

using tree_test::TestCatalogue;

ViewConfig view(const std::string& name, std::vector<std::string> repos) {
    ViewConfig config;
    config.name = name;
    config.repos = std::move(repos);
    return config;
}

std::vector<std::string> paths(const std::vector<TreeAddress>& trees) {
    std::vector<std::string> result;
    for (const auto& tree : trees) result.push_back(tree.path());
    return result;
}

TEST(IndexPreparation, MovedTreesAreTheReposAndEveryViewWithOneOfThem) {
    Config config;
    config.views = {view("everything", {"base", "extra"}), view("other", {"third"}), view("extras", {"extra"})};
    EXPECT_EQ(paths(latest_trees_moved_by(config, {"extra"})),
              (std::vector<std::string>{"repos/extra/latest", "views/everything/latest", "views/extras/latest"}));
    EXPECT_EQ(paths(latest_trees_moved_by(config, {"base", "extra"})),
              (std::vector<std::string>{"repos/base/latest", "repos/extra/latest", "views/everything/latest",
                                        "views/extras/latest"}));  // each view once
    EXPECT_EQ(paths(latest_trees_moved_by(config, {"unviewed"})), (std::vector<std::string>{"repos/unviewed/latest"}));
    EXPECT_TRUE(latest_trees_moved_by(config, {}).empty());
}

struct Catalogue {
    TestCatalogue c;
    std::int64_t mirror = c.add_repo("mirror", false);
    std::int64_t filtered = c.add_repo("filtered", true, 1700000100);
    Catalogue() {
        c.add_latest_metadata(mirror, "repodata/repomd.xml", "repomd", "<repomd/>");
        c.add_latest_package(mirror, "Packages/alpha-1.0-1.noarch.rpm",
                             c.add_package("alpha", "1.0", "Packages/alpha-1.0-1.noarch.rpm"));
        c.add_latest_package(filtered, "Packages/g/gamma-1-1.noarch.rpm",
                             c.add_package("gamma", "1", "gamma-1-1.noarch.rpm"));
    }
};

TEST(IndexPreparation, GeneratesGeneratedTreesOnceAndSkipsMirrorsAndMissingTrees) {
    Catalogue f;
    f.c.add_view("all", {f.mirror, f.filtered});
    const std::vector<TreeAddress> trees = {TreeAddress::repo_latest("mirror"), TreeAddress::repo_latest("filtered"),
                                            TreeAddress::view_latest("all"), TreeAddress::view_latest("not-created"),
                                            TreeAddress::repo_latest("never-synced")};
    const auto first = prepare_generated_indexes(f.c.db(), f.c.pool(), nullptr, trees);
    ASSERT_EQ(first.size(), 2u);  // the mirror, the missing view and the missing repo are skipped
    EXPECT_EQ(first[0].tree.path(), "repos/filtered/latest");
    EXPECT_EQ(first[1].tree.path(), "views/all/latest");
    for (const auto& prepared : first) {
        EXPECT_FALSE(prepared.error) << prepared.tree.path();
        EXPECT_TRUE(prepared.generated) << prepared.tree.path();
        EXPECT_EQ(prepared.files, 4u) << prepared.tree.path();  // repomd, primary, filelists, other
        // Recorded: what a mount or export would find, without generating.
        const auto contents = open_tree_contents(f.c.db(), *resolve_tree(f.c.db(), prepared.tree));
        EXPECT_TRUE(find_generated_repodata(f.c.db(), generated_tree_digest(f.c.db(), *contents)))
            << prepared.tree.path();
    }
    const auto again = prepare_generated_indexes(f.c.db(), f.c.pool(), nullptr, trees);
    ASSERT_EQ(again.size(), 2u);
    EXPECT_FALSE(again[0].generated);  // found, not made again
    EXPECT_FALSE(again[1].generated);
    EXPECT_EQ(again[1].files, 4u);
}

TEST(IndexPreparation, ATreeThatFailsIsReportedAndTheOthersGoOn) {
    Catalogue f;
    const auto broken = f.c.add_repo("broken", true);
    // A package without its stored XML cannot be written into repodata.
    f.c.add_latest_package(broken, "Packages/b/beta-1-1.noarch.rpm", f.c.add_package("beta", "1", "beta-1-1.noarch.rpm"));
    f.c.db().execute("DELETE FROM package_metadata WHERE package_id IN (SELECT id FROM packages WHERE name = 'beta')");
    const auto prepared = prepare_generated_indexes(
        f.c.db(), f.c.pool(), nullptr, {TreeAddress::repo_latest("broken"), TreeAddress::repo_latest("filtered")});
    ASSERT_EQ(prepared.size(), 2u);
    ASSERT_TRUE(prepared[0].error);
    EXPECT_EQ(prepared[0].error->kind(), ErrorKind::corrupt);
    EXPECT_FALSE(prepared[1].error);
    EXPECT_TRUE(prepared[1].generated);
}

}  // namespace
}  // namespace chantal
