// Sync records: which 'running' rows are live (the sync lock decides), and
// failure records, also when the catalogue has no room (the reserve).
#include "core/sync/sync_history.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/catalogue/catalogue.h"
#include "core/catalogue/catalogue_reserve.h"
#include "core/catalogue/repository_records.h"
#include "core/sync/sync_lock.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::CatalogueFixture;
using test_support::TempDir;

namespace {

struct HistoryFixture {
    TempDir dir;
    std::filesystem::path temp_root = dir / "tmp";
    CatalogueFixture catalogue{dir / "chantal.db"};
    std::int64_t base = catalogue.add_repository("base");
    std::int64_t extra = catalogue.add_repository("extra");

    HistoryFixture() { std::filesystem::create_directories(temp_root); }
    Database& db() { return catalogue.database(); }

    std::int64_t insert_running(std::int64_t repository, std::int64_t started_at) {
        db().prepare("INSERT INTO sync_history (repository_id, started_at, status) VALUES (?1, ?2, 'running')")
            .bind(1, repository)
            .bind(2, started_at)
            .run();
        return db().last_insert_rowid();
    }
    FileLock lock(const std::string& repo_id) {
        return FileLock(sync_lock_path(temp_root, repo_id), "a sync of repo " + repo_id);
    }
    std::string status_of(std::int64_t record) {
        Statement query = db().prepare("SELECT status || ' ' || message FROM sync_history WHERE id = ?1");
        query.bind(1, record);
        return query.step() ? query.column_text(0) : "";
    }
};

}  // namespace

TEST(RunningSyncs, ARowIsLiveOnlyWhileItsRepositorysLockIsHeld) {
    HistoryFixture fixture;
    const auto killed = fixture.insert_running(fixture.base, 100);
    const auto running = fixture.insert_running(fixture.extra, 200);
    {
        FileLock lock = fixture.lock("extra");
        const auto rows = running_syncs(fixture.db(), fixture.temp_root);
        ASSERT_EQ(rows.size(), 2u);
        EXPECT_EQ(rows[0].record_id, killed);  // oldest first
        EXPECT_EQ(rows[0].repo_id, "base");
        EXPECT_FALSE(rows[0].live);
        EXPECT_EQ(rows[1].record_id, running);
        EXPECT_EQ(rows[1].started_at, 200);
        EXPECT_TRUE(rows[1].live);
    }
    // The process ended: its lock went with it, the lock file stays.
    EXPECT_TRUE(std::filesystem::exists(sync_lock_path(fixture.temp_root, "extra")));
    for (const auto& row : running_syncs(fixture.db(), fixture.temp_root)) EXPECT_FALSE(row.live) << row.repo_id;
}

TEST(RunningSyncs, OnlyTheNewestRowOfALockedRepositoryIsLive) {
    HistoryFixture fixture;
    const auto stale = fixture.insert_running(fixture.base, 100);  // a killed sync
    const auto current = fixture.insert_running(fixture.base, 300);
    FileLock lock = fixture.lock("base");
    const auto rows = running_syncs(fixture.db(), fixture.temp_root);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].record_id, stale);
    EXPECT_FALSE(rows[0].live);
    EXPECT_EQ(rows[1].record_id, current);
    EXPECT_TRUE(rows[1].live);
}

TEST(RunningSyncs, FinishedRowsAreNotListed) {
    HistoryFixture fixture;
    const auto record = begin_sync_record(fixture.db(), fixture.base);
    finish_sync_record(fixture.db(), record, "success", {}, std::nullopt, "");
    EXPECT_TRUE(running_syncs(fixture.db(), fixture.temp_root).empty());
}

TEST(RecordSyncFailure, ClosesTheRunningRow) {
    HistoryFixture fixture;
    const CatalogueReserve reserve(fixture.dir / "chantal.db");
    const auto record = begin_sync_record(fixture.db(), fixture.base);
    SyncCounts counts;
    counts.files_downloaded = 3;
    EXPECT_TRUE(record_sync_failure(fixture.db(), reserve, fixture.base, record, counts, std::string("abc"),
                                    "repo base: no space"));
    EXPECT_EQ(fixture.status_of(record), "failed repo base: no space");
    const auto rows = sync_history(fixture.db(), fixture.base, 10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].finished_at.has_value());
    EXPECT_EQ(rows[0].counts.files_downloaded, 3);
    EXPECT_EQ(rows[0].repomd_sha256.value_or(""), "abc");
}

TEST(RecordSyncFailure, AnAttemptWithoutARunningRowGetsAFailedRow) {
    HistoryFixture fixture;
    const CatalogueReserve reserve(fixture.dir / "chantal.db");
    EXPECT_TRUE(record_sync_failure(fixture.db(), reserve, fixture.base, std::nullopt, {}, std::nullopt,
                                    "catalogue x: no space left"));
    const auto rows = sync_history(fixture.db(), fixture.base, 10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].status, "failed");
    EXPECT_EQ(rows[0].message, "catalogue x: no space left");
    EXPECT_EQ(rows[0].finished_at.value_or(-1), rows[0].started_at);
}

// No room (max_page_count stands in for a full disk, so freeing the reserve
// does not help here): the reserve is spent and made again, nothing throws.
TEST(RecordSyncFailure, NoRoomSpendsTheReserveAndMakesItAgain) {
    HistoryFixture fixture;
    const CatalogueReserve reserve(fixture.dir / "chantal.db");
    reserve.ensure();
    fixture.db().execute("PRAGMA max_page_count = " + std::to_string(fixture.db().query_int64("PRAGMA page_count")));
    const std::string huge(200000, 'x');  // needs overflow pages
    EXPECT_FALSE(record_sync_failure(fixture.db(), reserve, fixture.base, std::nullopt, {}, std::nullopt, huge));
    EXPECT_TRUE(reserve.present());
    EXPECT_TRUE(sync_history(fixture.db(), fixture.base, 10).empty());
}

TEST(CatalogueReserve, EnsureAllocatesReleaseFrees) {
    TempDir dir;
    const CatalogueReserve reserve(dir / "chantal.db");
    EXPECT_EQ(reserve.path(), dir / "chantal.db-reserve");
    EXPECT_FALSE(reserve.present());
    EXPECT_FALSE(reserve.release());
    reserve.ensure();
    EXPECT_TRUE(reserve.present());
    EXPECT_EQ(std::filesystem::file_size(reserve.path()), CatalogueReserve::kSize);
    reserve.ensure();  // idempotent
    EXPECT_TRUE(reserve.release());
    EXPECT_FALSE(std::filesystem::exists(reserve.path()));
    // A short file (a reserve cut off) is made whole again; no partial file is left.
    test_support::write_text(reserve.path(), "short");
    reserve.ensure();
    EXPECT_EQ(std::filesystem::file_size(reserve.path()), CatalogueReserve::kSize);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
    EXPECT_EQ(files, 1u);
}
