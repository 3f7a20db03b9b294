// publish list / unpublish (core/export/published_trees.h): only directories
// that carry the export mark of the tree at their own path are listed and
// removed; anything else under the published root is left alone.
#include "core/export/published_trees.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/export/export_marker.h"
#include "support/temp_dir.h"

using namespace chantal;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

// A directory at tree.path() under root with two files, marked as `marked_as`.
void publish_by_hand(const std::filesystem::path& root, const TreeAddress& tree, const std::string& marked_as) {
    const auto directory = root / tree.path();
    write_text(directory / "repodata/repomd.xml", "<repomd/>");  // 9 bytes
    write_text(directory / "Packages/a.rpm", "package");         // 7 bytes
    write_export_marker(directory, {marked_as, "digest-of-" + marked_as, 2});
}

void publish_by_hand(const std::filesystem::path& root, const TreeAddress& tree) {
    publish_by_hand(root, tree, tree.path());
}

ErrorKind unpublish_error(const std::filesystem::path& root, const TreeAddress& tree) {
    try {
        unpublish_tree(root, tree);
    } catch (const Error& error) {
        return error.kind();
    }
    ADD_FAILURE() << "no error for " << tree.path();
    return ErrorKind::internal;
}

}  // namespace

TEST(PublishedTrees, ListsMarkedTreesOnly) {
    TempDir root;
    publish_by_hand(root.path(), TreeAddress::repo_latest("base"));
    publish_by_hand(root.path(), TreeAddress::repo_snapshot("base", "2025-06"));
    publish_by_hand(root.path(), TreeAddress::view_snapshot("all", "q3"));
    publish_by_hand(root.path(), TreeAddress::view_latest("copied"), "views/all/latest");  // a copy of another tree
    write_text(root / "repos/handmade/latest/index.html", "not ours");
    write_text(root / "repos/base/snapshots/.2025-07.chantal-staging/x", "a publish in progress");

    const auto trees = list_published_trees(root.path());
    ASSERT_EQ(trees.size(), 3u);
    EXPECT_EQ(trees[0].tree, TreeAddress::repo_latest("base"));
    EXPECT_EQ(trees[1].tree, TreeAddress::repo_snapshot("base", "2025-06"));
    EXPECT_EQ(trees[2].tree, TreeAddress::view_snapshot("all", "q3"));
    EXPECT_EQ(trees[1].directory, root / "repos/base/snapshots/2025-06");
    EXPECT_EQ(trees[1].marker.digest, "digest-of-repos/base/snapshots/2025-06");
    EXPECT_EQ(trees[1].marker.files, 2u);
    EXPECT_EQ(trees[1].bytes, 16u);
    EXPECT_GT(trees[1].published_at, 0);
}

TEST(PublishedTrees, NothingPublished) {
    TempDir root;
    EXPECT_TRUE(list_published_trees(root / "not-there").empty());
    EXPECT_TRUE(list_published_trees(root.path()).empty());
}

TEST(PublishedTrees, UnpublishRemovesTheTreeAndEmptyParents) {
    TempDir root;
    publish_by_hand(root.path(), TreeAddress::repo_latest("base"));
    publish_by_hand(root.path(), TreeAddress::repo_snapshot("base", "2025-06"));

    const PublishedTree removed = unpublish_tree(root.path(), TreeAddress::repo_snapshot("base", "2025-06"));
    EXPECT_EQ(removed.tree, TreeAddress::repo_snapshot("base", "2025-06"));
    EXPECT_EQ(removed.bytes, 16u);
    EXPECT_FALSE(std::filesystem::exists(root / "repos/base/snapshots"));
    EXPECT_TRUE(std::filesystem::exists(root / "repos/base/latest/repodata/repomd.xml"));

    unpublish_tree(root.path(), TreeAddress::repo_latest("base"));
    EXPECT_FALSE(std::filesystem::exists(root / "repos"));
    EXPECT_TRUE(std::filesystem::exists(root.path()));
    EXPECT_TRUE(list_published_trees(root.path()).empty());
}

TEST(PublishedTrees, UnpublishRefusesWhatPublishDidNotMake) {
    TempDir root;
    write_text(root / "repos/handmade/latest/index.html", "not ours");
    EXPECT_EQ(unpublish_error(root.path(), TreeAddress::repo_latest("handmade")), ErrorKind::conflict);
    EXPECT_TRUE(std::filesystem::exists(root / "repos/handmade/latest/index.html"));

    publish_by_hand(root.path(), TreeAddress::view_latest("copied"), "views/all/latest");
    EXPECT_EQ(unpublish_error(root.path(), TreeAddress::view_latest("copied")), ErrorKind::conflict);
    EXPECT_TRUE(std::filesystem::exists(root / "views/copied/latest/Packages/a.rpm"));

    EXPECT_EQ(unpublish_error(root.path(), TreeAddress::repo_latest("never")), ErrorKind::not_found);
    EXPECT_EQ(unpublish_error(root.path(), TreeAddress::repo_snapshot("..", "x")), ErrorKind::invalid_input);
    EXPECT_EQ(unpublish_error(root.path(), TreeAddress::repo_snapshot("base", "../../etc")), ErrorKind::invalid_input);
    EXPECT_EQ(unpublish_error(root.path(), TreeAddress::repo_latest("")), ErrorKind::invalid_input);
}
