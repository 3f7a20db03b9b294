// Schema v6: a v5 catalogue migrates to one whose repositories accept mode
// 'hosted', keeping every row and every reference (nothing cascades), and
// still refusing any other mode.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/catalogue/catalogue.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;

TEST(HostedModeMigration, VersionFiveCatalogueAcceptsHostedAndKeepsEveryRow) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const auto migrations = catalogue_migrations();
    ASSERT_EQ(migrations[5].version, 6);
    {
        Catalogue old = Catalogue::open(file, Catalogue::Mode::create, migrations.first(5));
        Database& database = old.database();
        EXPECT_THROW(database.execute("INSERT INTO repositories (repo_id, name, feed, mode, created_at) "
                                      "VALUES ('early', 'early', '', 'hosted', 1)"),
                     Error);
        database.execute(
            "INSERT INTO repositories (repo_id, name, feed, mode, created_at) VALUES ('r', 'r', 'http://x/', 'mirror', 1);"
            "INSERT INTO content_items (sha256, filename, size, kind, added_at) VALUES ('" + std::string(64, 'a') +
            "', 'repomd.xml', 3, 'metadata', 1);"
            "INSERT INTO repository_contents (repository_id, path, content_id, role, metadata_type) "
            "VALUES (1, 'repodata/repomd.xml', 1, 'metadata', 'repomd');"
            "INSERT INTO snapshots (repository_id, name, created_at) VALUES (1, 's1', 1);"
            "INSERT INTO sync_history (repository_id, started_at, status) VALUES (1, 1, 'success');");
    }
    Catalogue migrated = Catalogue::open(file, Catalogue::Mode::read_write);
    Database& database = migrated.database();
    EXPECT_EQ(migrated.schema_version(), migrations.back().version);
    EXPECT_EQ(database.query_int64("SELECT (SELECT count(*) FROM repositories) + (SELECT count(*) FROM content_items) + "
                                   "(SELECT count(*) FROM repository_contents) + (SELECT count(*) FROM snapshots) + "
                                   "(SELECT count(*) FROM sync_history)"),
              5);
    database.execute("INSERT INTO repositories (repo_id, name, feed, mode, created_at) "
                     "VALUES ('internal', 'internal', '', 'hosted', 2)");
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM repositories WHERE mode = 'hosted'"), 1);
    EXPECT_THROW(database.execute("INSERT INTO repositories (repo_id, name, feed, mode, created_at) "
                                  "VALUES ('bad', 'bad', '', 'bogus', 3)"),
                 Error);
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM pragma_foreign_key_check"), 0);

    // Another connection sees the new constraint too.
    Catalogue other = Catalogue::open(file, Catalogue::Mode::read_write);
    other.database().execute("INSERT INTO repositories (repo_id, name, feed, mode, created_at) "
                             "VALUES ('second', 'second', '', 'hosted', 4)");
}

}  // namespace
}  // namespace chantal
