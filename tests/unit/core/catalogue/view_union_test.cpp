// The view union (core/catalogue/view_union.h) as every consumer sees it:
// package list, view show, snapshot list/show, diff, the tree model (FUSE,
// export, generated repodata), package show's holders, the content holders
// db verify and repair report, and db stats. One catalogue with a file two
// members share, a shadowed file and multi-byte first characters; every
// consumer must name the same packages at the same paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/catalogue/content_references.h"
#include "core/catalogue/rpm/rpm_view_placement.h"
#include "core/config/config.h"
#include "core/maintenance/db_stats.h"
#include "core/pool/pool.h"
#include "core/query/diff_trees.h"
#include "core/query/package_query.h"
#include "core/query/snapshot_query.h"
#include "core/query/view_query.h"
#include "core/snapshots/snapshot_create.h"
#include "core/snapshots/view_reconcile.h"
#include "core/tree/tree.h"
#include "core/tree/tree_packages.h"
#include "core/tree/view_packages.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::CatalogueFixture;
using test_support::FakePackage;
using test_support::TempDir;

namespace {

const FakePackage kBash{"bash"};                                              // in both members: one package
const FakePackage kCommonBase{"common", 0, "1.0", "1", "noarch", "base-build"};  // wins
const FakePackage kCommonExtra{"common", 0, "1.0", "1", "noarch", "extra-build"};  // shadowed
const FakePackage kLowerMultiByte{"\xc3\xb1" "andu"};                         // "ñandu": Packages/ñ/
const FakePackage kUpperMultiByte{"\xc3\x91" "u"};                            // "Ñu": Packages/Ñ/
const FakePackage kZsh{"zsh"};

// path -> sha256 of what the view serves, as every consumer must report it.
std::map<std::string, std::string> expected_view() {
    std::map<std::string, std::string> served;
    for (const auto* package : {&kBash, &kCommonBase, &kLowerMultiByte, &kUpperMultiByte, &kZsh})
        served[*rpm_package_path(package->filename())] = package->sha256();
    return served;
}

struct ViewUnionFixture {
    TempDir dir;
    CatalogueFixture catalogue{dir / "chantal.db"};

    ViewUnionFixture() {
        catalogue.set_latest("base", {kBash, kCommonBase, kLowerMultiByte});
        catalogue.set_latest("extra", {kBash, kCommonExtra, kUpperMultiByte, kZsh});
        Config config;
        config.file = "/test/config.yaml";
        for (const char* id : {"base", "extra"}) {
            RepositoryConfig repository;
            repository.id = repository.name = id;
            repository.feed = std::string("http://127.0.0.1:9/") + id;
            config.repositories.push_back(repository);
        }
        ViewConfig view;
        view.name = "all";
        view.repos = {"base", "extra"};
        config.views.push_back(view);
        reconcile_views(database(), config);
        create_view_snapshot(database(), "all", "s1", "");
    }
    Database& database() { return catalogue.database(); }
    std::int64_t content_id(const FakePackage& package) {
        Statement row(database(), "SELECT id FROM content_items WHERE sha256 = ?1");
        row.bind(1, package.sha256());
        EXPECT_TRUE(row.step());
        return row.column_int64(0);
    }
};

std::map<std::string, std::string> as_served(const std::vector<TreePackage>& packages) {
    std::map<std::string, std::string> served;
    for (const auto& package : packages) EXPECT_TRUE(served.emplace(package.path, package.sha256).second) << package.path;
    return served;
}

std::map<std::string, std::string> tree_model_packages(Database& database, const TreeAddress& tree) {
    auto state = resolve_tree(database, tree);
    EXPECT_TRUE(state);
    if (!state) return {};
    auto contents = open_tree_contents(database, *state);
    std::map<std::string, std::string> served;
    contents->for_each_package(database, [&](const TreePackageRow& package) {
        served[package.path] = package.file.sha256;
        auto entry = contents->lookup(database, package.path);  // what FUSE and export open
        EXPECT_TRUE(entry && entry->file == package.file) << package.path;
    });
    return served;
}

}  // namespace

TEST(ViewUnion, EveryConsumerAgrees) {
    ViewUnionFixture fixture;
    Database& database = fixture.database();
    const auto expected = expected_view();
    ASSERT_EQ(expected.size(), 5u);
    EXPECT_TRUE(expected.count("Packages/\xc3\xb1/\xc3\xb1" "andu-1.0-1.x86_64.rpm"));
    EXPECT_TRUE(expected.count("Packages/\xc3\x91/\xc3\x91" "u-1.0-1.x86_64.rpm"));

    for (const auto& tree : {TreeAddress::view_latest("all"), TreeAddress::view_snapshot("all", "s1")}) {
        SCOPED_TRACE(tree.describe());
        EXPECT_EQ(as_served(list_tree_packages(database, tree)), expected);  // package list
        std::vector<ViewConflict> conflicts;
        EXPECT_EQ(as_served(view_packages(database, tree, &conflicts)), expected);
        ASSERT_EQ(conflicts.size(), 1u);
        EXPECT_EQ(conflicts[0].shadowed_sha256, kCommonExtra.sha256());
        EXPECT_EQ(tree_model_packages(database, tree), expected);  // FUSE, export, generated repodata
    }

    // view show, snapshot list and snapshot show count what the view serves.
    EXPECT_EQ(show_view(database, "all").package_count, static_cast<std::int64_t>(expected.size()));
    const auto snapshots = list_view_snapshots(database, std::optional<std::string>("all"));
    ASSERT_EQ(snapshots.size(), 1u);
    EXPECT_EQ(snapshots[0].package_count, static_cast<std::int64_t>(expected.size()));
    EXPECT_EQ(show_view_snapshot(database, "all", "s1").package_count, static_cast<std::int64_t>(expected.size()));
    std::uint64_t served_bytes = 0;
    for (const auto& package : list_tree_packages(database, TreeAddress::view_latest("all"))) served_bytes += package.size;
    EXPECT_EQ(snapshots[0].package_bytes, served_bytes);

    // diff: the snapshot and latest are the same set.
    const TreeDiff diff = diff_trees(database, TreeAddress::view_snapshot("all", "s1"), TreeAddress::view_latest("all"));
    EXPECT_TRUE(diff.empty());
    EXPECT_EQ(diff.unchanged, static_cast<std::int64_t>(expected.size()));

    // Content holders (db verify, pool verify, repair): a view holds a file
    // only where it serves it, once, at the tree model's path.
    ContentHolderFinder finder(database);
    auto view_holders = [&](const FakePackage& package) {
        std::vector<std::string> paths;
        for (const auto& holder : finder.find(fixture.content_id(package)))
            if (holder.kind == ContentHolder::Kind::tree && holder.tree.is_view())
                paths.push_back(tree_path_of(holder));
        std::sort(paths.begin(), paths.end());
        return paths;
    };
    EXPECT_TRUE(view_holders(kCommonExtra).empty());
    for (const auto* package : {&kBash, &kCommonBase, &kLowerMultiByte, &kUpperMultiByte, &kZsh}) {
        const std::string path = *rpm_package_path(package->filename());
        EXPECT_EQ(view_holders(*package),
                  (std::vector<std::string>{"views/all/latest/" + path, "views/all/snapshots/s1/" + path}));
    }

    // package show: the shadowed build is held by its repository, not by the view.
    auto view_holder_count = [&](const FakePackage& package) {
        std::size_t count = 0;
        for (const auto& details : find_packages(database, package.sha256()))
            for (const auto& holder : details.holders) count += holder.tree.is_view() ? 1 : 0;
        return count;
    };
    EXPECT_EQ(view_holder_count(kCommonExtra), 0u);
    EXPECT_EQ(view_holder_count(kCommonBase), 2u);
    EXPECT_EQ(view_holder_count(kBash), 2u);

    // db stats: the views add what they serve, not the sum of their members.
    Pool pool(fixture.dir / "pool", fixture.dir / "tmp");
    const auto stats = collect_catalogue_stats(database, pool);
    const auto membership_bytes = static_cast<std::uint64_t>(database.query_int64(
        "SELECT (SELECT coalesce(sum(i.size), 0) FROM repository_contents c JOIN content_items i ON i.id = c.content_id)"
        " + (SELECT coalesce(sum(i.size), 0) FROM snapshot_contents c JOIN content_items i ON i.id = c.content_id)"));
    EXPECT_EQ(stats.logical_bytes, membership_bytes + 2 * served_bytes);
}
