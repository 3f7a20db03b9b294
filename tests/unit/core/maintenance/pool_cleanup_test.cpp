// pool cleanup: never removes referenced content, respects the grace period,
// detaches packages rows, removes stale temp files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/maintenance/pool_cleanup.h"
#include "core/maintenance/pool_usage.h"
#include "core/sync/sync_lock.h"
#include "core/tree/retired_files.h"
#include "support/maintenance_fixture.h"

using chantal::test_support::MaintenanceFixture;
using chantal::test_support::run_command;
using chantal::test_support::write_text;

namespace {

constexpr std::int64_t kLongAgo = 1'000'000;  // 1970-01-12: older than any grace period

// Makes every pool file look old, so only references and rows decide.
void age_pool(MaintenanceFixture& fixture) {
    fixture.pool().for_each_file([](std::string_view, std::string_view, const std::filesystem::path& path,
                                    std::uint64_t, std::int64_t) { MaintenanceFixture::set_mtime(path, kLongAgo); });
}

std::int64_t rows(MaintenanceFixture& fixture, const std::string& sql) { return fixture.db().query_int64(sql); }

}  // namespace

TEST(PoolCleanup, RemovesOnlyUnreferencedOldFilesAndTheirRows) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto orphan = fixture.add_content("orphan package", "orphan-1.0-1.x86_64.rpm");
    const auto orphan_package = fixture.add_package(orphan, "orphan", std::string(64, 'e'));
    const auto orphan_path = fixture.path_of(orphan);
    const auto stray = fixture.pool().add_bytes("stray bytes", "stray.rpm");
    age_pool(fixture);
    const auto files_before = fixture.pool().stats().files;

    chantal::PoolCleanupOptions options;
    options.dry_run = true;
    auto report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    EXPECT_EQ(report.removed_files.size(), 2u);
    EXPECT_EQ(report.content_rows_removed, 1);
    EXPECT_EQ(report.packages_detached, 1);
    EXPECT_EQ(fixture.pool().stats().files, files_before) << "dry run removed something";

    options.dry_run = false;
    report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    ASSERT_EQ(report.removed_files.size(), 2u);
    EXPECT_EQ(report.removed_bytes, 14u + 11u);
    EXPECT_EQ(report.content_rows_removed, 1);
    EXPECT_EQ(report.packages_detached, 1);
    EXPECT_FALSE(std::filesystem::exists(orphan_path));
    EXPECT_FALSE(std::filesystem::exists(stray.path));
    EXPECT_EQ(fixture.pool().stats().files, files_before - 2);
    // The packages row keeps its metadata, without content.
    EXPECT_EQ(rows(fixture, "SELECT count(*) FROM packages WHERE id = " + std::to_string(orphan_package) +
                                " AND content_id IS NULL"),
              1);
    EXPECT_EQ(rows(fixture, "SELECT count(*) FROM content_items WHERE id = " + std::to_string(orphan)), 0);
    // Everything a tree references is still there, with its rows.
    EXPECT_TRUE(std::filesystem::exists(fixture.path_of(fixture.bash_content())));
    EXPECT_TRUE(std::filesystem::exists(fixture.path_of(fixture.zsh_content())));
    EXPECT_EQ(rows(fixture, "SELECT count(*) FROM content_items"), 4);
    // Idempotent.
    EXPECT_TRUE(chantal::clean_pool(fixture.db(), fixture.pool(), {}).removed_files.empty());
}

TEST(PoolCleanup, ContentOnlyInASnapshotOrGeneratedMetadataIsKept) {
    MaintenanceFixture fixture;
    fixture.populate();
    // bash leaves latest but stays in snapshot s1.
    fixture.db().execute("DELETE FROM repository_contents WHERE path LIKE '%bash%'");
    age_pool(fixture);
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), {});
    EXPECT_TRUE(report.removed_files.empty());
    EXPECT_TRUE(std::filesystem::exists(fixture.path_of(fixture.bash_content())));
    EXPECT_EQ(rows(fixture, "SELECT count(*) FROM content_items"), 4);
}

TEST(PoolCleanup, FreshUnreferencedFileSurvivesDefaultGracePeriod) {
    // A sync puts a file into the pool (and may catalogue it) before it
    // switches membership: between the two, cleanup must not take it.
    MaintenanceFixture fixture;
    fixture.populate();
    age_pool(fixture);
    const auto downloading = fixture.pool().add_bytes("just downloaded", "new-2.0-1.x86_64.rpm");  // mtime: now
    const auto catalogued = fixture.add_content("catalogued, not yet referenced", "cat-1.0-1.x86_64.rpm", "package",
                                                chantal::unix_time_now());
    MaintenanceFixture::set_mtime(fixture.path_of(catalogued), kLongAgo);  // old file, fresh row (dedup of old content)
    auto report = chantal::clean_pool(fixture.db(), fixture.pool(), {});
    EXPECT_TRUE(report.removed_files.empty());
    EXPECT_EQ(report.kept_recent_files, 2u);
    EXPECT_TRUE(std::filesystem::exists(downloading.path));
    EXPECT_TRUE(std::filesystem::exists(fixture.path_of(catalogued)));

    // The sync now switches membership: the file is referenced and safe forever.
    const auto repo = rows(fixture, "SELECT id FROM repositories");
    fixture.add_latest(repo, "repodata/cat.xml", catalogued, std::nullopt);
    // Grace 0: only references protect now.
    chantal::PoolCleanupOptions options;
    options.grace_period = std::chrono::seconds(0);
    options.now = chantal::unix_time_now() + 10;
    report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    ASSERT_EQ(report.removed_files.size(), 1u);
    EXPECT_EQ(report.removed_files[0].filename, "new-2.0-1.x86_64.rpm");
    EXPECT_TRUE(std::filesystem::exists(fixture.path_of(catalogued)));
}

TEST(PoolCleanup, RunningSyncMovesTheCutoffBack) {
    MaintenanceFixture fixture;
    fixture.populate();
    age_pool(fixture);
    const auto file = fixture.pool().add_bytes("downloaded during a long sync", "long.rpm");
    MaintenanceFixture::set_mtime(file.path, 3 * 86400);  // older than now - 24h
    fixture.db().execute("INSERT INTO sync_history (repository_id, started_at, status) "
                         "SELECT id, 2 * 86400, 'running' FROM repositories");
    // The sync is running: it holds its repository's lock.
    const chantal::FileLock lock(chantal::sync_lock_path(fixture.pool().temp_root(), "base"), "a sync of repo base");
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), {});
    EXPECT_EQ(report.running_sync_repo.value_or(""), "base");
    EXPECT_EQ(report.cutoff, 2 * 86400);
    EXPECT_TRUE(report.stale_syncs.empty());
    EXPECT_TRUE(report.removed_files.empty());
    EXPECT_TRUE(std::filesystem::exists(file.path));
}

TEST(PoolCleanup, RunningRowWithoutItsLockIsStaleAndIgnored) {
    MaintenanceFixture fixture;
    fixture.populate();
    age_pool(fixture);
    const auto file = fixture.pool().add_bytes("left by a killed sync", "killed.rpm");
    MaintenanceFixture::set_mtime(file.path, 3 * 86400);
    fixture.db().execute("INSERT INTO sync_history (repository_id, started_at, status) "
                         "SELECT id, 2 * 86400, 'running' FROM repositories");
    // The lock file is still there (syncs leave it), but nobody holds it.
    write_text(chantal::sync_lock_path(fixture.pool().temp_root(), "base"), "");
    chantal::PoolCleanupOptions options;
    options.now = 10 * 86400;
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    EXPECT_FALSE(report.running_sync_repo.has_value());
    EXPECT_EQ(report.cutoff, 9 * 86400);
    ASSERT_EQ(report.stale_syncs.size(), 1u);
    EXPECT_EQ(report.stale_syncs[0].repo_id, "base");
    EXPECT_EQ(report.stale_syncs[0].started_at, 2 * 86400);
    EXPECT_FALSE(std::filesystem::exists(file.path));
}

TEST(PoolCleanup, SyncLockFilesStayInTemp) {
    MaintenanceFixture fixture;
    const auto temp = fixture.pool().temp_root();
    const auto lock_file = chantal::sync_lock_path(temp, "base");
    write_text(lock_file, "");
    write_text(temp / "sync-base/old.part", "interrupted download");
    MaintenanceFixture::set_mtime(lock_file, kLongAgo);
    MaintenanceFixture::set_mtime(temp / "sync-base/old.part", kLongAgo);
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), {});
    ASSERT_EQ(report.removed_temp_files.size(), 1u);
    EXPECT_EQ(report.removed_temp_files[0], temp / "sync-base/old.part");
    EXPECT_TRUE(std::filesystem::exists(lock_file));
}

TEST(PoolCleanup, StaleTempFilesGoFreshOnesStay) {
    MaintenanceFixture fixture;
    const auto temp = fixture.pool().temp_root();
    write_text(temp / "sync-base/old.part", "interrupted download");
    write_text(temp / "pool-abc123", "fresh writer");
    MaintenanceFixture::set_mtime(temp / "sync-base/old.part", kLongAgo);
    const auto usage = chantal::measure_pool(&fixture.db(), fixture.pool());
    EXPECT_EQ(usage.temp.files, 2u);
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), {});
    ASSERT_EQ(report.removed_temp_files.size(), 1u);
    EXPECT_EQ(report.removed_temp_files[0], temp / "sync-base/old.part");
    EXPECT_FALSE(std::filesystem::exists(temp / "sync-base/old.part"));
    EXPECT_TRUE(std::filesystem::exists(temp / "pool-abc123"));
}

TEST(PoolCleanup, RetiredFilesStayForTheMetadataGracePeriodWhateverTheGracePeriod) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto old_primary = fixture.add_content("previous primary", "old-primary.xml.gz", "metadata");
    constexpr std::int64_t kNow = 2'000'000;
    {
        chantal::RetiredFileRecorder retired(fixture.db());
        retired.record("repos/base/latest", "repodata/old-primary.xml.gz", old_primary, kNow - 100);
    }
    age_pool(fixture);
    chantal::PoolCleanupOptions options;
    options.grace_period = std::chrono::seconds(0);
    options.retired_grace_period = std::chrono::seconds(600);
    options.now = kNow;
    auto report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    EXPECT_TRUE(report.removed_files.empty());
    EXPECT_TRUE(std::filesystem::exists(fixture.path_of(old_primary)));
    auto found = chantal::find_retired_file(fixture.db(), "repos/base/latest", "repodata/old-primary.xml.gz", kNow - 600);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->sha256, fixture.sha256_of(old_primary));
    EXPECT_FALSE(chantal::find_retired_file(fixture.db(), "repos/base/latest", "repodata/old-primary.xml.gz", kNow - 50));
    EXPECT_FALSE(chantal::find_retired_file(fixture.db(), "repos/other/latest", "repodata/old-primary.xml.gz", 0));

    // Past the metadata grace period the retirement is forgotten and the file goes.
    options.now = kNow + 600;
    const auto path = fixture.path_of(old_primary);
    report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    EXPECT_EQ(report.retired_rows_forgotten, 1);
    ASSERT_EQ(report.removed_files.size(), 1u);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_EQ(rows(fixture, "SELECT count(*) FROM retired_tree_files"), 0);
}

TEST(PoolCleanup, LockFilesAndARunningSyncsPartialsStayWhateverTheirAge) {
    MaintenanceFixture fixture;
    const auto temp = fixture.pool().temp_root();
    write_text(temp / "sync-busy/running.part", "download in progress");
    write_text(temp / "sync-idle/left.part", "left by a killed sync");
    write_text(temp / "sync-idle.lock", "");
    chantal::FileLock held(temp / "sync-busy.lock", "a sync of repo busy");
    EXPECT_EQ(chantal::lock_is_held(temp / "sync-busy.lock"), chantal::LockProbe::held);
    EXPECT_EQ(chantal::lock_is_held(temp / "sync-idle.lock"), chantal::LockProbe::free);
    EXPECT_EQ(chantal::lock_is_held(temp / "sync-none.lock"), chantal::LockProbe::free);
    for (const char* name : {"sync-busy/running.part", "sync-idle/left.part", "sync-idle.lock", "sync-busy.lock"})
        MaintenanceFixture::set_mtime(temp / name, kLongAgo);
    chantal::PoolCleanupOptions options;
    options.grace_period = std::chrono::seconds(0);
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), options);
    ASSERT_EQ(report.removed_temp_files.size(), 1u);
    EXPECT_EQ(report.removed_temp_files[0], temp / "sync-idle/left.part");
    EXPECT_TRUE(std::filesystem::exists(temp / "sync-busy/running.part"));
    EXPECT_TRUE(std::filesystem::exists(temp / "sync-busy.lock"));
    EXPECT_TRUE(std::filesystem::exists(temp / "sync-idle.lock"));
    // The lock still excludes a second sync.
    EXPECT_THROW(chantal::FileLock(temp / "sync-busy.lock", "a sync of repo busy"), chantal::Error);
}

TEST(PoolCleanup, RowsWhoseFileIsGoneAreRemovedWhenUnreferenced) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto gone = fixture.add_content("vanished", "gone.rpm");
    std::filesystem::remove(fixture.path_of(gone));
    const auto report = chantal::clean_pool(fixture.db(), fixture.pool(), {});
    EXPECT_EQ(report.content_rows_removed, 1);
    EXPECT_TRUE(report.removed_files.empty());
    EXPECT_EQ(rows(fixture, "SELECT count(*) FROM content_items WHERE id = " + std::to_string(gone)), 0);
}

TEST(PoolCleanup, PoolUsageByKind) {
    MaintenanceFixture fixture;
    fixture.populate();
    fixture.pool().add_bytes("stray", "stray.rpm");
    const auto usage = chantal::measure_pool(&fixture.db(), fixture.pool());
    EXPECT_EQ(usage.total.files, 5u);
    EXPECT_EQ(usage.packages.files, 2u);
    EXPECT_EQ(usage.metadata.files, 2u);
    EXPECT_EQ(usage.uncatalogued.files, 1u);
    EXPECT_EQ(usage.unreferenced.files, 1u);
    EXPECT_EQ(chantal::measure_pool(nullptr, fixture.pool()).uncatalogued.files, 5u);
}

TEST(PoolCleanup, CommandDryRunThenCleanup) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto stray = fixture.pool().add_bytes("stray bytes", "stray.rpm");
    std::string output;
    // Fresh: the default grace period keeps it.
    ASSERT_EQ(run_command(fixture.chantal("pool cleanup"), &output), 0) << output;
    EXPECT_NE(output.find("removed 0 unreferenced pool files"), std::string::npos) << output;
    EXPECT_NE(output.find("kept 1 unreferenced files"), std::string::npos) << output;
    EXPECT_TRUE(std::filesystem::exists(stray.path));

    MaintenanceFixture::set_mtime(stray.path, kLongAgo);
    ASSERT_EQ(run_command(fixture.chantal("pool cleanup --dry-run"), &output), 0) << output;
    EXPECT_NE(output.find("would remove 1 unreferenced pool files (11 B)"), std::string::npos) << output;
    EXPECT_TRUE(std::filesystem::exists(stray.path));

    ASSERT_EQ(run_command(fixture.chantal("--format json pool cleanup --grace-period 1h 2>/dev/null"), &output), 0);
    const auto json = nlohmann::json::parse(output);
    EXPECT_EQ(json["grace_period_seconds"], 3600);
    ASSERT_EQ(json["removed_files"].size(), 1u);
    EXPECT_EQ(json["removed_files"][0]["filename"], "stray.rpm");
    EXPECT_FALSE(std::filesystem::exists(stray.path));

    EXPECT_EQ(run_command(fixture.chantal("pool cleanup --grace-period soon"), &output), 1);
    EXPECT_NE(output.find("error: --grace-period: 'soon' is not a duration"), std::string::npos) << output;

    ASSERT_EQ(run_command(fixture.chantal("--format json pool stats 2>/dev/null"), &output), 0) << output;
    EXPECT_EQ(nlohmann::json::parse(output)["total"]["files"], 4);
}
