// Snapshots on the catalogue layer: creation, immutability, names, copy,
// delete guards, and atomic view snapshots.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "core/query/package_query.h"
#include "core/query/snapshot_query.h"
#include "core/snapshots/snapshot_create.h"
#include "core/snapshots/snapshot_delete.h"
#include "core/snapshots/snapshot_name.h"
#include "core/snapshots/view_reconcile.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::CatalogueFixture;
using test_support::FakePackage;
using test_support::TempDir;

namespace {

std::vector<FakePackage> base_packages() {
    return {{"bash", 0, "5.1.8", "6.el9", "x86_64"}, {"nginx", 1, "1.20.1", "14.el9", "x86_64"},
            {"tzdata", 0, "2024a", "1.el9", "noarch"}};
}

std::vector<std::string> nevras(Database& database, const TreeAddress& tree) {
    std::vector<std::string> result;
    for (const auto& package : list_tree_packages(database, tree)) result.push_back(package.nevra());
    return result;
}

// A config with repos base, extra and a view "all" of both (no file needed).
Config view_config(std::vector<std::string> members = {"base", "extra"}) {
    Config config;
    config.file = "/test/config.yaml";
    for (const char* id : {"base", "extra", "third"}) {
        RepositoryConfig repository;
        repository.id = repository.name = id;
        repository.feed = std::string("http://127.0.0.1:9/") + id;
        config.repositories.push_back(repository);
    }
    ViewConfig view;
    view.name = "all";
    view.description = "everything";
    view.repos = std::move(members);
    config.views.push_back(view);
    return config;
}

ErrorKind kind_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.kind();
    }
    ADD_FAILURE() << "no chantal::Error thrown";
    return ErrorKind::internal;
}

}  // namespace

TEST(SnapshotName, AcceptsOrdinaryNames) {
    for (const char* name : {"2025-06", "stable", "release_9.4", "a", "x.y-z", "..a", "A.B"})
        EXPECT_NO_THROW(validate_snapshot_name(name)) << name;
    EXPECT_NO_THROW(validate_snapshot_name(std::string(kMaxSnapshotNameLength, 'a')));
}

TEST(SnapshotName, RejectsUnsafeNames) {
    for (const std::string& name : std::vector<std::string>{"", ".", "..", "latest", "a/b", "/abs", "tab\there", std::string("nul\0x", 5), "line\nbreak",
                             std::string(kMaxSnapshotNameLength + 1, 'a'), "-rf", "del\x7f", "with space",
                             "ünïcode", "a%20b", "q?x", "hash#1", "star*", "back\\slash", "quote'"}) {
        EXPECT_EQ(kind_of([&] { validate_snapshot_name(name); }), ErrorKind::invalid_input) << name;
    }
}

// A snapshot named before the [A-Za-z0-9._-] rule keeps working: shown,
// read as a tree, copied to a valid name, deleted.
TEST(SnapshotName, OldNamesOutsideTheRuleStillWork) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    create_repository_snapshot(fixture.database(), "base", "s1", "");
    fixture.database().prepare("UPDATE snapshots SET name = 'old name' WHERE name = 's1'").run();
    EXPECT_EQ(show_repository_snapshot(fixture.database(), "base", "old name").package_count, 3);
    EXPECT_EQ(nevras(fixture.database(), TreeAddress::of_repository("base", "old name")).size(), 3u);
    copy_repository_snapshot(fixture.database(), "base", "old name", "renamed");
    EXPECT_EQ(show_repository_snapshot(fixture.database(), "base", "renamed").package_count, 3);
    EXPECT_EQ(kind_of([&] { create_repository_snapshot(fixture.database(), "base", "new name", ""); }),
              ErrorKind::invalid_input);
    delete_repository_snapshot(fixture.database(), "base", "old name", false);
    EXPECT_EQ(list_repository_snapshots(fixture.database(), std::string("base")).size(), 1u);
}

TEST(SnapshotName, ViewMemberNames) { EXPECT_EQ(view_member_snapshot_name("rhel9", "2025-06"), "rhel9-2025-06"); }

TEST(Snapshot, CreateCopiesPackagesAndMetadata) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    SnapshotCreated created = create_repository_snapshot(fixture.database(), "base", "s1", "first");
    EXPECT_EQ(created.package_count, 3);
    EXPECT_EQ(created.file_count, 5);  // 3 packages + primary + repomd

    SnapshotInfo info = show_repository_snapshot(fixture.database(), "base", "s1");
    EXPECT_EQ(info.description, "first");
    EXPECT_EQ(info.package_count, 3);
    EXPECT_EQ(info.metadata_count, 2);
    EXPECT_GT(info.package_bytes, 0u);
    EXPECT_FALSE(info.generated_tree);
    Statement repomd = fixture.database().prepare("SELECT last_repomd_sha256 FROM repositories WHERE repo_id = 'base'");
    repomd.step();
    EXPECT_EQ(info.repomd_sha256, repomd.column_text(0));
    EXPECT_TRUE(info.used_by.empty());
}

TEST(Snapshot, NeverChangesAfterLaterSyncs) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    create_repository_snapshot(fixture.database(), "base", "before", "");
    const auto frozen = nevras(fixture.database(), TreeAddress::of_repository("base", "before"));
    const auto repomd_before = show_repository_snapshot(fixture.database(), "base", "before").repomd_sha256;

    // Upstream changes: bash upgraded, tzdata removed, a new package added.
    fixture.set_latest("base", {{"bash", 0, "5.2.15", "1.el9"}, {"nginx", 1, "1.20.1", "14.el9"}, {"zsh", 0, "5.8", "9.el9"}});
    EXPECT_EQ(nevras(fixture.database(), TreeAddress::of_repository("base", "before")), frozen);
    EXPECT_EQ(show_repository_snapshot(fixture.database(), "base", "before").repomd_sha256, repomd_before);
    EXPECT_EQ(show_repository_snapshot(fixture.database(), "base", "before").metadata_count, 2);
    EXPECT_NE(nevras(fixture.database(), TreeAddress::of_repository("base", "latest")), frozen);

    // Copies and deletes of other snapshots do not touch it either.
    create_repository_snapshot(fixture.database(), "base", "after", "");
    copy_repository_snapshot(fixture.database(), "base", "after", "promoted");
    delete_repository_snapshot(fixture.database(), "base", "after", false);
    EXPECT_EQ(nevras(fixture.database(), TreeAddress::of_repository("base", "before")), frozen);
}

TEST(Snapshot, DuplicateNameIsRefusedNotOverwritten) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    create_repository_snapshot(fixture.database(), "base", "s1", "original");
    fixture.set_latest("base", {{"zsh", 0, "5.8", "9.el9"}});
    EXPECT_EQ(kind_of([&] { create_repository_snapshot(fixture.database(), "base", "s1", "again"); }),
              ErrorKind::already_exists);
    SnapshotInfo info = show_repository_snapshot(fixture.database(), "base", "s1");
    EXPECT_EQ(info.description, "original");
    EXPECT_EQ(info.package_count, 3);
}

TEST(Snapshot, NeverSyncedRepositoryIsAClearError) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.add_repository("empty");
    try {
        create_repository_snapshot(fixture.database(), "empty", "s1", "");
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::not_found);
        EXPECT_NE(std::string(error.what()).find("never been synced"), std::string::npos) << error.what();
    }
    EXPECT_EQ(kind_of([&] { create_repository_snapshot(fixture.database(), "nowhere", "s1", ""); }), ErrorKind::not_found);
    EXPECT_EQ(kind_of([&] { create_repository_snapshot(fixture.database(), "empty", "latest", ""); }),
              ErrorKind::invalid_input);
}

TEST(Snapshot, CopyPromotesMembership) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    create_repository_snapshot(fixture.database(), "base", "testing", "candidate");
    fixture.set_latest("base", {{"zsh", 0, "5.8", "9.el9"}});
    SnapshotCreated copy = copy_repository_snapshot(fixture.database(), "base", "testing", "stable");
    EXPECT_EQ(copy.package_count, 3);
    EXPECT_EQ(nevras(fixture.database(), TreeAddress::of_repository("base", "stable")),
              nevras(fixture.database(), TreeAddress::of_repository("base", "testing")));
    EXPECT_EQ(show_repository_snapshot(fixture.database(), "base", "stable").description, "candidate");
    EXPECT_EQ(kind_of([&] { copy_repository_snapshot(fixture.database(), "base", "testing", "stable"); }),
              ErrorKind::already_exists);
    EXPECT_EQ(kind_of([&] { copy_repository_snapshot(fixture.database(), "base", "nope", "x"); }), ErrorKind::not_found);
    EXPECT_EQ(kind_of([&] { copy_repository_snapshot(fixture.database(), "base", "latest", "x"); }), ErrorKind::invalid_input);
    EXPECT_EQ(kind_of([&] { copy_repository_snapshot(fixture.database(), "base", "testing", "a/b"); }),
              ErrorKind::invalid_input);
}

TEST(Snapshot, ListsInCreationOrder) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
    create_repository_snapshot(fixture.database(), "base", "b", "");
    create_repository_snapshot(fixture.database(), "base", "a", "");
    create_repository_snapshot(fixture.database(), "extra", "x", "");
    auto base = list_repository_snapshots(fixture.database(), std::string("base"));
    ASSERT_EQ(base.size(), 2u);
    EXPECT_EQ(base[0].name, "b");
    EXPECT_EQ(base[1].name, "a");
    EXPECT_EQ(list_repository_snapshots(fixture.database(), std::nullopt).size(), 3u);
    EXPECT_EQ(kind_of([&] { list_repository_snapshots(fixture.database(), std::string("nope")); }), ErrorKind::not_found);
}

TEST(ViewSnapshot, TakesEveryMemberInOneGo) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
    reconcile_views(fixture.database(), view_config());
    ViewSnapshotCreated created = create_view_snapshot(fixture.database(), "all", "2025-06", "june");
    ASSERT_EQ(created.members.size(), 2u);
    EXPECT_EQ(created.members[0].repo_id, "base");
    EXPECT_EQ(created.members[0].name, "all-2025-06");
    EXPECT_EQ(created.members[1].repo_id, "extra");

    ViewSnapshotInfo info = show_view_snapshot(fixture.database(), "all", "2025-06");
    EXPECT_EQ(info.description, "june");
    ASSERT_EQ(info.members.size(), 2u);
    EXPECT_EQ(info.members[0].position, 0);
    EXPECT_EQ(info.members[0].package_count, 3);
    EXPECT_EQ(info.members[1].position, 1);
    EXPECT_EQ(info.members[1].snapshot_name, "all-2025-06");

    SnapshotInfo member = show_repository_snapshot(fixture.database(), "base", "all-2025-06");
    ASSERT_EQ(member.used_by.size(), 1u);
    EXPECT_EQ(member.used_by[0].view, "all");
    EXPECT_EQ(member.used_by[0].name, "2025-06");

    EXPECT_EQ(kind_of([&] { create_view_snapshot(fixture.database(), "all", "2025-06", ""); }), ErrorKind::already_exists);
    EXPECT_EQ(kind_of([&] { create_view_snapshot(fixture.database(), "nope", "x", ""); }), ErrorKind::not_found);
}

TEST(ViewSnapshot, FailureInTheMiddleLeavesNothing) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
    reconcile_views(fixture.database(), view_config());
    // The second member already has a snapshot with the derived name: the
    // first member's snapshot is written, then the second fails.
    create_repository_snapshot(fixture.database(), "extra", "all-june", "");
    try {
        create_view_snapshot(fixture.database(), "all", "june", "");
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::already_exists);
        EXPECT_NE(std::string(error.what()).find("view 'all'"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("'extra'"), std::string::npos) << error.what();
    }
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM view_snapshots"), 0);
    EXPECT_EQ(list_repository_snapshots(fixture.database(), std::string("base")).size(), 0u);
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM snapshot_contents s JOIN snapshots n ON n.id = "
                                             "s.snapshot_id WHERE n.name = 'all-june' AND n.repository_id = "
                                             "(SELECT id FROM repositories WHERE repo_id = 'base')"),
              0);
}

TEST(ViewSnapshot, NeverSyncedMemberLeavesNothing) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    reconcile_views(fixture.database(), view_config());  // creates the empty "extra" row
    try {
        create_view_snapshot(fixture.database(), "all", "june", "");
        FAIL();
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("'extra' has never been synced"), std::string::npos) << error.what();
    }
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM snapshots"), 0);
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM snapshot_contents"), 0);
}

TEST(SnapshotDelete, RefusesWhileAViewSnapshotUsesItUnlessForced) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
    reconcile_views(fixture.database(), view_config());
    create_view_snapshot(fixture.database(), "all", "june", "");
    try {
        delete_repository_snapshot(fixture.database(), "base", "all-june", false);
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::conflict);
        EXPECT_NE(std::string(error.what()).find("view 'all' snapshot 'june'"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("--force"), std::string::npos) << error.what();
    }
    EXPECT_EQ(show_view_snapshot(fixture.database(), "all", "june").members.size(), 2u);

    DeleteOutcome forced = delete_repository_snapshot(fixture.database(), "base", "all-june", true);
    ASSERT_EQ(forced.broken.size(), 1u);
    EXPECT_EQ(forced.broken[0], "view 'all' snapshot 'june'");
    ViewSnapshotInfo broken = show_view_snapshot(fixture.database(), "all", "june");
    ASSERT_EQ(broken.members.size(), 1u);
    EXPECT_EQ(broken.members[0].repo_id, "extra");
    EXPECT_EQ(kind_of([&] { show_repository_snapshot(fixture.database(), "base", "all-june"); }), ErrorKind::not_found);
}

TEST(SnapshotDelete, PlainSnapshotGoesWithItsRowsButNotItsContent) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    create_repository_snapshot(fixture.database(), "base", "s1", "");
    const auto content_items = fixture.database().query_int64("SELECT count(*) FROM content_items");
    DeleteOutcome outcome = delete_repository_snapshot(fixture.database(), "base", "s1", false);
    EXPECT_EQ(outcome.deleted, std::vector<std::string>{"repository 'base' snapshot 's1'"});
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM snapshot_contents"), 0);
    EXPECT_EQ(fixture.database().query_int64("SELECT count(*) FROM content_items"), content_items);
    EXPECT_EQ(kind_of([&] { delete_repository_snapshot(fixture.database(), "base", "s1", false); }), ErrorKind::not_found);
    EXPECT_EQ(kind_of([&] { delete_repository_snapshot(fixture.database(), "base", "latest", false); }),
              ErrorKind::invalid_input);
}

TEST(SnapshotDelete, ViewSnapshotTakesItsMembersAlong) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
    reconcile_views(fixture.database(), view_config());
    create_view_snapshot(fixture.database(), "all", "june", "");
    create_repository_snapshot(fixture.database(), "base", "own", "");
    // Another view snapshot sharing a member: that member must stay.
    fixture.database().execute(
        "INSERT INTO view_snapshots (view_id, name, created_at) SELECT id, 'shared', 1 FROM views WHERE name = 'all';"
        "INSERT INTO view_snapshot_members SELECT (SELECT id FROM view_snapshots WHERE name = 'shared'), s.id, 0 "
        "FROM snapshots s JOIN repositories r ON r.id = s.repository_id WHERE r.repo_id = 'extra' AND s.name = 'all-june';");
    DeleteOutcome outcome = delete_view_snapshot(fixture.database(), "all", "june");
    EXPECT_EQ(outcome.deleted.size(), 2u);  // the view snapshot and base's member
    ASSERT_EQ(outcome.kept.size(), 1u);
    EXPECT_EQ(outcome.kept[0], "repository 'extra' snapshot 'all-june'");
    EXPECT_EQ(list_repository_snapshots(fixture.database(), std::string("base")).size(), 1u);  // "own" stays
    EXPECT_EQ(list_repository_snapshots(fixture.database(), std::string("extra")).size(), 1u);
    EXPECT_EQ(list_view_snapshots(fixture.database(), std::string("all")).size(), 1u);
}

TEST(ViewSnapshot, CopyCopiesEveryMember) {
    TempDir dir;
    CatalogueFixture fixture(dir / "chantal.db");
    fixture.set_latest("base", base_packages());
    fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
    reconcile_views(fixture.database(), view_config());
    create_view_snapshot(fixture.database(), "all", "testing", "candidate");
    fixture.set_latest("base", {{"bash", 0, "9", "1"}});
    ViewSnapshotCreated copy = copy_view_snapshot(fixture.database(), "all", "testing", "stable");
    ASSERT_EQ(copy.members.size(), 2u);
    EXPECT_EQ(copy.members[0].name, "all-stable");
    EXPECT_EQ(copy.members[0].package_count, 3);
    ViewSnapshotInfo info = show_view_snapshot(fixture.database(), "all", "stable");
    EXPECT_EQ(info.description, "candidate");
    EXPECT_EQ(nevras(fixture.database(), TreeAddress::of_view("all", "stable")),
              nevras(fixture.database(), TreeAddress::of_view("all", "testing")));
    // Deleting the source leaves the copy whole.
    delete_view_snapshot(fixture.database(), "all", "testing");
    EXPECT_EQ(show_view_snapshot(fixture.database(), "all", "stable").members.size(), 2u);
    EXPECT_EQ(kind_of([&] { copy_view_snapshot(fixture.database(), "all", "stable", "stable"); }), ErrorKind::already_exists);
}
