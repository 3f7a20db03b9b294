// BackgroundCheckpoint: commits made while it lives leave the database file
// alone until start(); the checkpoint then copies them on its own connection
// while the owner goes on writing; autocheckpoint comes back afterwards; a
// checkpoint that cannot run reports why and loses nothing.
#include "core/catalogue/background_checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;

namespace {

constexpr int kAutocheckpointPages = 8;
constexpr int kRowsPerBatch = 64;  // of a page each: far above kAutocheckpointPages

Database open_with_table(const std::filesystem::path& file) {
    Database database(file, Database::Access::read_write_create);
    database.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)");
    database.execute("PRAGMA wal_autocheckpoint = " + std::to_string(kAutocheckpointPages));
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    return database;
}

void insert_batch(Database& database) {
    Transaction transaction(database);
    auto insert = database.prepare("INSERT INTO rows (bytes) VALUES (?1)");
    const std::string bytes(Database::kPageSize, 'x');
    for (int i = 0; i < kRowsPerBatch; ++i) insert.bind_blob(1, bytes).run();
    transaction.commit();
}

std::uintmax_t database_bytes(const std::filesystem::path& file) { return std::filesystem::file_size(file); }
std::uintmax_t batch_bytes() { return static_cast<std::uintmax_t>(kRowsPerBatch) * Database::kPageSize; }

std::int64_t row_count(const std::filesystem::path& file) {
    Database reader(file, Database::Access::read_only);
    return reader.query_int64("SELECT count(*) FROM rows");
}

}  // namespace

TEST(BackgroundCheckpoint, CommitsReachTheDatabaseFileOnlyOnceStarted) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    Database database = open_with_table(file);
    const auto before = database_bytes(file);
    {
        BackgroundCheckpoint checkpoint(database);
        insert_batch(database);
        EXPECT_EQ(database_bytes(file), before) << "the commit checkpointed";
        EXPECT_EQ(row_count(file), kRowsPerBatch) << "readers see the committed rows in the -wal file";
        checkpoint.start();
        EXPECT_EQ(checkpoint.wait(), std::nullopt);
        EXPECT_GE(database_bytes(file), before + batch_bytes());
    }
    EXPECT_EQ(database.query_int64("PRAGMA wal_autocheckpoint"), kAutocheckpointPages);
}

TEST(BackgroundCheckpoint, TheOwnerWritesOnWhileItRunsAndTheNextCommitTakesTheRest) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    Database database = open_with_table(file);
    {
        BackgroundCheckpoint checkpoint(database);
        insert_batch(database);
        checkpoint.start();
        insert_batch(database);  // concurrent with the checkpoint, or after it
        EXPECT_EQ(checkpoint.wait(), std::nullopt);
        EXPECT_EQ(row_count(file), 2 * kRowsPerBatch);
    }
    // Autocheckpoint is back: this commit copies every frame still in the
    // -wal file, the second batch's included.
    insert_batch(database);
    EXPECT_GE(database_bytes(file), 3 * batch_bytes());
    EXPECT_EQ(row_count(file), 3 * kRowsPerBatch);
}

TEST(BackgroundCheckpoint, OneThatCannotRunSaysWhyAndLosesNothing) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const auto moved = dir / "moved.db";
    Database database = open_with_table(file);
    {
        BackgroundCheckpoint checkpoint(database);
        insert_batch(database);
        // The checkpoint's own connection cannot open a file that is gone.
        std::filesystem::rename(file, moved);
        checkpoint.start();
        const auto error = checkpoint.wait();
        ASSERT_TRUE(error.has_value());
        EXPECT_NE(error->find("cannot open catalogue"), std::string::npos) << *error;
        std::filesystem::rename(moved, file);
    }
    EXPECT_EQ(database.query_int64("PRAGMA wal_autocheckpoint"), kAutocheckpointPages);
    EXPECT_EQ(row_count(file), kRowsPerBatch);
}
