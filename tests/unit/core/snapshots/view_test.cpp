// Views on the catalogue layer: reconciliation from config, the effective
// package set with first-member-wins conflicts, view list/show.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/catalogue/rpm/rpm_view_placement.h"
#include "core/config/config.h"
#include "core/query/view_query.h"
#include "core/snapshots/snapshot_create.h"
#include "core/snapshots/snapshot_delete.h"
#include "core/snapshots/view_reconcile.h"
#include "core/tree/view_packages.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::CatalogueFixture;
using test_support::FakePackage;
using test_support::TempDir;

namespace {

Config config_with_views(std::vector<ViewConfig> views) {
    Config config;
    config.file = "/test/config.yaml";
    for (const char* id : {"base", "extra", "third"}) {
        RepositoryConfig repository;
        repository.id = repository.name = id;
        repository.feed = std::string("http://127.0.0.1:9/") + id;
        config.repositories.push_back(repository);
    }
    config.views = std::move(views);
    return config;
}

ViewConfig view(const std::string& name, std::vector<std::string> repos, const std::string& description = "") {
    ViewConfig config;
    config.name = name;
    config.repos = std::move(repos);
    config.description = description;
    return config;
}

std::vector<std::string> member_ids(const ViewInfo& info) {
    std::vector<std::string> ids;
    for (const auto& member : info.members) ids.push_back(member.repo_id);
    return ids;
}

}  // namespace

TEST(ViewReconcile, CreatesViewsAndMissingRepositoryRows) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    ViewReconcileResult result =
        reconcile_views(fixture.database(), config_with_views({view("all", {"extra", "base"}, "both")}));
    EXPECT_EQ(result.created, 1);
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM repositories"), 2);
    ViewInfo info = show_view(fixture.database(), "all");
    EXPECT_EQ(info.description, "both");
    EXPECT_TRUE(info.configured);
    EXPECT_EQ(member_ids(info), (std::vector<std::string>{"extra", "base"}));
    EXPECT_FALSE(info.members[0].last_sync_at);
    // Second run: nothing to do.
    EXPECT_FALSE(reconcile_views(fixture.database(), config_with_views({view("all", {"extra", "base"}, "both")})).changed());
}

TEST(ViewReconcile, UpdatesMembersAndOrder) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    reconcile_views(fixture.database(), config_with_views({view("all", {"base", "extra"})}));
    ViewReconcileResult result =
        reconcile_views(fixture.database(), config_with_views({view("all", {"third", "base"}, "new text")}));
    EXPECT_EQ(result.updated, 1);
    ViewInfo info = show_view(fixture.database(), "all");
    EXPECT_EQ(member_ids(info), (std::vector<std::string>{"third", "base"}));
    EXPECT_EQ(info.description, "new text");
}

TEST(ViewReconcile, RemovedViewIsKeptOnlyWhileSnapshotsUseIt) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", {{"bash"}});
    reconcile_views(fixture.database(), config_with_views({view("kept", {"base"}), view("gone", {"base"})}));
    create_view_snapshot(fixture.database(), "kept", "s1", "");

    // The generated version each latest served last (retired_files.h).
    fixture.database().execute(
        "INSERT INTO latest_generated_digests (tree_path, tree_digest, recorded_at) VALUES "
        "('views/kept/latest', 'a', 1), ('views/gone/latest', 'b', 1), ('repos/base/latest', 'c', 1)");

    ViewReconcileResult result = reconcile_views(fixture.database(), config_with_views({}));
    EXPECT_EQ(result.unconfigured, 1);
    EXPECT_EQ(result.deleted, 1);
    // Neither view has a latest any more: a view created under one of their
    // names starts without a previous version to retire.
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM latest_generated_digests WHERE tree_path LIKE 'views/%'"), 0);
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM latest_generated_digests"), 1);
    auto views = list_views(fixture.database());
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0].name, "kept");
    EXPECT_FALSE(views[0].configured);
    EXPECT_EQ(views[0].snapshots, std::vector<std::string>{"s1"});
    EXPECT_FALSE(reconcile_views(fixture.database(), config_with_views({})).changed());

    // Its last snapshot deleted, the unconfigured view goes too.
    delete_view_snapshot(fixture.database(), "kept", "s1");
    EXPECT_TRUE(list_views(fixture.database()).empty());
}

TEST(ViewReconcile, ConfiguredAgainAfterRemoval) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", {{"bash"}});
    reconcile_views(fixture.database(), config_with_views({view("v", {"base"})}));
    create_view_snapshot(fixture.database(), "v", "s1", "");
    reconcile_views(fixture.database(), config_with_views({}));
    EXPECT_EQ(reconcile_views(fixture.database(), config_with_views({view("v", {"base"})})).updated, 1);
    EXPECT_TRUE(list_views(fixture.database())[0].configured);
}

TEST(ViewPackages, UnionWithFirstMemberWinning) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    // Same file in both: one package, no conflict. Same file name with
    // different bytes: first member wins, reported.
    fixture.set_latest("base", {{"bash"}, {"common", 0, "1.0", "1", "noarch", "base-build"}});
    fixture.set_latest("extra", {{"bash"}, {"common", 0, "1.0", "1", "noarch", "extra-build"}, {"zsh"}});
    reconcile_views(fixture.database(), config_with_views({view("all", {"base", "extra"}), view("rev", {"extra", "base"})}));

    std::vector<ViewConflict> conflicts;
    auto packages = view_packages(fixture.database(), TreeAddress::of_view("all", "latest"), &conflicts);
    ASSERT_EQ(packages.size(), 3u);
    EXPECT_EQ(packages[0].filename, "bash-1.0-1.x86_64.rpm");
    EXPECT_EQ(packages[0].path, "Packages/b/bash-1.0-1.x86_64.rpm");
    EXPECT_EQ(packages[0].repo_id, "base");
    EXPECT_EQ(packages[1].filename, "common-1.0-1.noarch.rpm");
    EXPECT_EQ(packages[1].repo_id, "base");
    EXPECT_EQ(packages[1].sha256, (FakePackage{"common", 0, "1.0", "1", "noarch", "base-build"}.sha256()));
    EXPECT_EQ(packages[2].repo_id, "extra");
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_EQ(conflicts[0].filename, "common-1.0-1.noarch.rpm");
    EXPECT_EQ(conflicts[0].winner_repo_id, "base");
    EXPECT_EQ(conflicts[0].shadowed_repo_id, "extra");

    auto reversed = find_view_package(fixture.database(), TreeAddress::of_view("rev", "latest"),
                                      "common-1.0-1.noarch.rpm");
    ASSERT_TRUE(reversed);
    EXPECT_EQ(reversed->repo_id, "extra");
    EXPECT_FALSE(find_view_package(fixture.database(), TreeAddress::of_view("rev", "latest"), "none.rpm"));

    ViewInfo info = show_view(fixture.database(), "all");
    EXPECT_EQ(info.package_count, 3);
    EXPECT_EQ(info.conflicts.size(), 1u);
    EXPECT_EQ(info.members[1].package_count, 3);
}

TEST(ViewPackages, ViewSnapshotKeepsItsSet) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", {{"bash"}});
    fixture.set_latest("extra", {{"zsh"}});
    reconcile_views(fixture.database(), config_with_views({view("all", {"base", "extra"})}));
    create_view_snapshot(fixture.database(), "all", "s1", "");
    fixture.set_latest("extra", {{"zsh", 0, "2.0"}});
    auto frozen = view_packages(fixture.database(), TreeAddress::of_view("all", "s1"));
    ASSERT_EQ(frozen.size(), 2u);
    EXPECT_EQ(frozen[1].version, "1.0");
    auto latest = view_packages(fixture.database(), TreeAddress::of_view("all", "latest"));
    EXPECT_EQ(latest[1].version, "2.0");
    EXPECT_THROW(view_packages(fixture.database(), TreeAddress::of_repository("base", "latest")), Error);
}

TEST(ViewPackagePath, LowercasedFirstCharacter) {
    EXPECT_EQ(rpm_package_path("NetworkManager-1.0-1.x86_64.rpm"), "Packages/n/NetworkManager-1.0-1.x86_64.rpm");
    // The tree model's rule: a multi-byte first character stays whole, unsafe names have no place.
    EXPECT_EQ(rpm_package_path("\xc3\xa9" "clair-1-1.noarch.rpm"), "Packages/\xc3\xa9/\xc3\xa9" "clair-1-1.noarch.rpm");
    EXPECT_EQ(rpm_package_path("bad\\name.rpm"), std::nullopt);
}

TEST(ViewPackagePath, AptPackagesGoToDebiansPoolLayoutUnderTheirMembersComponent) {
    TreePackage package;
    package.format = "apt";
    package.name = "libfoo1";
    package.filename = "libfoo1_1.0-1_amd64.deb";
    package.path = "pool/contrib/libf/libfoo/libfoo1_1.0-1_amd64.deb";
    EXPECT_EQ(view_package_path(package, "libfoo"), "pool/contrib/libf/libfoo/libfoo1_1.0-1_amd64.deb");
    // A filtered member's generated path and a flat repository's root path.
    package.path = "libfoo1_1.0-1_amd64.deb";
    EXPECT_EQ(view_package_path(package, ""), "pool/main/libf/libfoo1/libfoo1_1.0-1_amd64.deb");
    // Names no pool path can hold (upstream data) leave the package out.
    EXPECT_EQ(view_package_path(package, "../etc"), std::nullopt);
    package.path = "pool/../x/libfoo1_1.0-1_amd64.deb";
    EXPECT_EQ(view_package_path(package, "libfoo"), std::nullopt);
    // RPM rows keep the file-name rule.
    package.format = "rpm";
    package.filename = "bash-5.1-1.x86_64.rpm";
    EXPECT_EQ(view_package_path(package, "bash-5.1-1.src.rpm"), "Packages/b/bash-5.1-1.x86_64.rpm");
    // A format value no rule knows is a damaged catalogue, not a package left out.
    package.format = "ipk";
    EXPECT_THROW(view_package_path(package, ""), Error);
}
