#include "core/catalogue/catalogue.h"

#include <gtest/gtest.h>

#include <array>

#include "core/base/error.h"
#include "core/catalogue/repository_records.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;

TEST(Catalogue, CreateIsIdempotentAndSetsPragmas) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    {
        Catalogue catalogue = Catalogue::open(file, Catalogue::Mode::create);
        EXPECT_EQ(catalogue.schema_version(), catalogue_migrations().back().version);
        EXPECT_EQ(catalogue.database().query_int64("PRAGMA foreign_keys"), 1);
        Statement mode = catalogue.database().prepare("PRAGMA journal_mode");
        ASSERT_TRUE(mode.step());
        EXPECT_EQ(mode.column_text(0), "wal");
        EXPECT_EQ(catalogue.database().query_int64("PRAGMA page_size"), Database::kPageSize);
    }
    Catalogue again = Catalogue::open(file, Catalogue::Mode::create);
    EXPECT_EQ(again.database().query_int64("PRAGMA page_size"), Database::kPageSize);
    EXPECT_EQ(apply_migrations(again.database(), catalogue_migrations()), 0);
    Catalogue read_only = Catalogue::open(file, Catalogue::Mode::read_only);
    EXPECT_EQ(read_only.schema_version(), catalogue_migrations().back().version);
}

TEST(Catalogue, MissingFileNeedsInit) {
    TempDir dir;
    try {
        Catalogue::open(dir / "none.db", Catalogue::Mode::read_write);
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::not_found);
        EXPECT_NE(std::string(error.what()).find("chantal init"), std::string::npos);
    }
}

TEST(Catalogue, OlderCatalogueIsMigratedNewerIsRefused) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const std::array<Migration, 1> version_one{Migration{1, "CREATE TABLE a (x INTEGER);"}};
    const std::array<Migration, 2> version_two{Migration{1, "CREATE TABLE a (x INTEGER);"},
                                               Migration{2, "ALTER TABLE a ADD COLUMN y TEXT;"}};
    { Catalogue::open(file, Catalogue::Mode::create, version_one); }
    {
        Catalogue upgraded = Catalogue::open(file, Catalogue::Mode::read_write, version_two);
        EXPECT_EQ(upgraded.schema_version(), 2);
        upgraded.database().execute("INSERT INTO a (x, y) VALUES (1, 'migrated')");
    }
    try {
        Catalogue::open(file, Catalogue::Mode::read_write, version_one);
        FAIL() << "a newer catalogue must be refused";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::unsupported);
        EXPECT_NE(std::string(error.what()).find("schema version 2"), std::string::npos) << error.what();
    }
}

TEST(Catalogue, ReleaseOneCatalogueMigratesKeepingEveryRow) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const auto migrations = catalogue_migrations();
    ASSERT_GE(migrations.size(), 2u);
    std::int64_t rows_before = 0;
    {
        // A catalogue as the release with schema version 1 made it.
        Catalogue old = Catalogue::open(file, Catalogue::Mode::create, migrations.first(1));
        ASSERT_EQ(old.schema_version(), 1);
        Database& database = old.database();
        database.execute(
            "INSERT INTO repositories (repo_id, name, feed, mode, created_at) VALUES ('r', 'r', 'http://x/', 'mirror', 1);"
            "INSERT INTO content_items (sha256, filename, size, kind, added_at) VALUES ('" + std::string(64, 'a') +
            "', 'repomd.xml', 3, 'metadata', 1);"
            "INSERT INTO repository_contents (repository_id, path, content_id, role, metadata_type) "
            "VALUES (1, 'repodata/repomd.xml', 1, 'metadata', 'repomd');"
            "INSERT INTO sync_history (repository_id, started_at, status) VALUES (1, 1, 'success');");
        rows_before = database.query_int64(
            "SELECT (SELECT count(*) FROM repositories) + (SELECT count(*) FROM content_items) + "
            "(SELECT count(*) FROM repository_contents) + (SELECT count(*) FROM sync_history)");
    }
    EXPECT_THROW(Catalogue::open(file, Catalogue::Mode::read_only), Error) << "a daemon must ask for the migration";
    Catalogue migrated = Catalogue::open(file, Catalogue::Mode::read_write);
    EXPECT_EQ(migrated.schema_version(), migrations.back().version);
    EXPECT_EQ(migrated.database().query_int64(
                  "SELECT (SELECT count(*) FROM repositories) + (SELECT count(*) FROM content_items) + "
                  "(SELECT count(*) FROM repository_contents) + (SELECT count(*) FROM sync_history)"),
              rows_before);
    EXPECT_EQ(migrated.database().query_int64("SELECT count(*) FROM retired_tree_files"), 0);
}

TEST(Catalogue, FailedMigrationLeavesPreviousVersion) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const std::array<Migration, 1> good{Migration{1, "CREATE TABLE a (x INTEGER);"}};
    const std::array<Migration, 2> broken{Migration{1, "CREATE TABLE a (x INTEGER);"},
                                          Migration{2, "CREATE TABLE b (y INTEGER); SELECT * FROM no_such_table;"}};
    { Catalogue::open(file, Catalogue::Mode::create, good); }
    EXPECT_THROW(Catalogue::open(file, Catalogue::Mode::read_write, broken), Error);
    Catalogue after = Catalogue::open(file, Catalogue::Mode::read_write, good);
    EXPECT_EQ(after.schema_version(), 1);
    EXPECT_EQ(after.database().query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'b'"), 0);
}

TEST(Catalogue, ForeignKeysAreEnforced) {
    TempDir dir;
    Catalogue catalogue = Catalogue::open(dir / "c.db", Catalogue::Mode::create);
    try {
        catalogue.database().execute(
            "INSERT INTO repository_contents (repository_id, path, content_id, role) VALUES (42, 'repodata/repomd.xml', 7, 'metadata')");
        FAIL() << "dangling references accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::conflict);
        EXPECT_NE(std::string(error.what()).find("FOREIGN KEY"), std::string::npos) << error.what();
    }
}

TEST(Catalogue, TransactionRollsBackOnException) {
    TempDir dir;
    Catalogue catalogue = Catalogue::open(dir / "c.db", Catalogue::Mode::create);
    RepositoryConfig repository;
    repository.id = "base";
    repository.name = "Base";
    repository.feed = "http://x.test/base";
    try {
        Transaction transaction(catalogue.database());
        upsert_repository(catalogue.database(), repository);
        throw std::runtime_error("sync failed half-way");
    } catch (const std::runtime_error&) {
    }
    EXPECT_FALSE(find_repository_row(catalogue.database(), "base"));
    {
        Transaction transaction(catalogue.database());
        upsert_repository(catalogue.database(), repository);
        transaction.commit();
    }
    EXPECT_TRUE(find_repository_row(catalogue.database(), "base"));
    RepositorySummary summary = summarize_repository(catalogue.database(), "base");
    EXPECT_TRUE(summary.in_catalogue);
    EXPECT_EQ(summary.package_count, 0);
    EXPECT_FALSE(summary.last_sync_at);
}

TEST(Catalogue, NotADatabaseOrForeignDatabaseIsACleanError) {
    TempDir dir;
    test_support::write_text(dir / "garbage.db", std::string(8192, 'x'));
    try {
        Catalogue::open(dir / "garbage.db", Catalogue::Mode::read_write);
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::corrupt) << error.what();
    }
    {
        Database other(dir / "other.db", Database::Access::read_write_create);
        other.execute("CREATE TABLE t (x)");
    }
    try {
        Catalogue::open(dir / "other.db", Catalogue::Mode::read_write);
        FAIL();
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("not a Chantal catalogue"), std::string::npos) << error.what();
    }
}
