#include "core/tree/index_preparation.h"

#include <gtest/gtest.h>

#include "core/base/file_util.h"
#include "core/tree/retired_files.h"
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

GeneratedFiles recorded_files(Database& database, const TreeAddress& tree) {
    const auto contents = open_tree_contents(database, *resolve_tree(database, tree));
    return *find_generated_repodata(database, generated_tree_digest(database, *contents));
}

TEST(IndexPreparation, TheFilesOfTheTreesPreviousVersionAreRetiredForEveryMount) {
    Catalogue f;
    const TreeAddress tree = TreeAddress::repo_latest("filtered");
    const auto retired_rows = [&] { return f.c.db().query_int64("SELECT count(*) FROM retired_tree_files"); };
    prepare_generated_indexes(f.c.db(), f.c.pool(), nullptr, {tree});
    EXPECT_EQ(retired_rows(), 0);  // a first version replaces nothing
    const GeneratedFiles before = recorded_files(f.c.db(), tree);

    // latest moves: one more package, so every index file changes.
    f.c.add_latest_package(f.filtered, "Packages/d/delta-1-1.noarch.rpm", f.c.add_package("delta", "1", "delta-1-1.noarch.rpm"));
    const auto moved = prepare_generated_indexes(f.c.db(), f.c.pool(), nullptr, {tree});
    ASSERT_EQ(moved.size(), 1u);
    ASSERT_FALSE(moved[0].error);
    const GeneratedFiles after = recorded_files(f.c.db(), tree);
    ASSERT_NE(before.tree_digest, after.tree_digest);
    EXPECT_EQ(retired_rows(), static_cast<std::int64_t>(before.files.size()));
    for (const auto& old : before.files) {
        // Readable by its path for the grace period: repomd.xml's previous
        // bytes and the previous primary/filelists/other by their names.
        const auto found = find_retired_file(f.c.db(), tree.path(), old.path, unix_time_now() - 600);
        ASSERT_TRUE(found) << old.path;
        EXPECT_EQ(found->sha256, old.file.sha256) << old.path;
    }
    // Preparing the same version again retires nothing more; other trees have none.
    prepare_generated_indexes(f.c.db(), f.c.pool(), nullptr, {tree});
    EXPECT_EQ(retired_rows(), static_cast<std::int64_t>(before.files.size()));
    EXPECT_FALSE(find_retired_file(f.c.db(), "repos/mirror/latest", before.files.front().path, 0));
}

TEST(IndexPreparation, AFileTheNextVersionKeepsIsNotRetired) {
    Catalogue f;
    const TreeAddress tree = TreeAddress::repo_latest("filtered");
    GeneratedFiles first;
    first.tree_digest = "digest-one";
    first.files = {{"repodata/repomd.xml", "repomd", {std::string(64, 'a'), "repomd.xml", 10}},
                   {"repodata/same.xml.gz", "group", {std::string(64, 'b'), "same.xml.gz", 20}}};
    // The files must be recorded for the format to find them under the digest.
    f.c.db().execute("INSERT INTO content_items (sha256, filename, size, kind, added_at) VALUES "
                     "('" + std::string(64, 'a') + "', 'repomd.xml', 10, 'metadata', 0), "
                     "('" + std::string(64, 'b') + "', 'same.xml.gz', 20, 'metadata', 0), "
                     "('" + std::string(64, 'c') + "', 'repomd.xml', 11, 'metadata', 0)");
    f.c.db().execute("INSERT INTO generated_metadata (tree_digest, metadata_type, path, content_id, created_at) "
                     "SELECT 'digest-one', 'repomd', 'repodata/repomd.xml', id, 0 FROM content_items WHERE sha256 = '" +
                     std::string(64, 'a') + "'");
    f.c.db().execute("INSERT INTO generated_metadata (tree_digest, metadata_type, path, content_id, created_at) "
                     "SELECT 'digest-one', 'group', 'repodata/same.xml.gz', id, 0 FROM content_items WHERE sha256 = '" +
                     std::string(64, 'b') + "'");
    const PackageFormat& rpm = package_format("rpm");
    EXPECT_EQ(retire_replaced_generated_files(f.c.db(), rpm, tree.path(), first, 1000), 0);
    GeneratedFiles second = first;
    second.tree_digest = "digest-two";
    second.files[0].file.sha256 = std::string(64, 'c');
    EXPECT_EQ(retire_replaced_generated_files(f.c.db(), rpm, tree.path(), second, 2000), 1);
    EXPECT_TRUE(find_retired_file(f.c.db(), tree.path(), "repodata/repomd.xml", 2000));
    EXPECT_FALSE(find_retired_file(f.c.db(), tree.path(), "repodata/same.xml.gz", 0));  // still served
}

}  // namespace
}  // namespace chantal
