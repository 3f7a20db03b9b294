// SQLite failures as users read them: storage errors name the catalogue and
// its file system, never SQL (that goes to Error::detail); the -wal and -shm
// files stay for readers on a full file system.
#include "core/catalogue/sqlite.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/catalogue.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(SqliteFailure, FullIsNoSpaceOnTheFileSystemWithoutSql) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const Error error = describe_sqlite_failure(file, SQLITE_FULL, 0,
                                                "'UPDATE sync_history SET status = ?2 WHERE id = ?1' failed",
                                                "database or disk is full");
    EXPECT_EQ(std::string(error.what()), "catalogue " + file.string() +
                                             ": no space left on the file system mounted at " +
                                             mount_point_of(dir.path()).string());
    EXPECT_EQ(error.kind(), ErrorKind::io);
    EXPECT_EQ(error.system_errno(), ENOSPC);
    EXPECT_TRUE(error.is_no_space());
    EXPECT_TRUE(contains(error.detail(), "UPDATE sync_history"));
    EXPECT_TRUE(contains(error.detail(), "database or disk is full"));
    EXPECT_TRUE(contains(error.detail(), "SQLite result code 13"));
}

TEST(SqliteFailure, AnIoErrorWithEnospcIsNoSpaceToo) {
    // Growing the -shm file on a full file system.
    const Error error = describe_sqlite_failure("/var/lib/chantal/chantal.db", SQLITE_IOERR_SHMSIZE, ENOSPC,
                                                "'SELECT 1' failed", "disk I/O error");
    EXPECT_TRUE(error.is_no_space());
    EXPECT_TRUE(contains(error.what(), "catalogue /var/lib/chantal/chantal.db: no space left on the file system mounted at "));
    EXPECT_FALSE(contains(error.what(), "SELECT"));
    const Error quota = describe_sqlite_failure("/var/lib/chantal/chantal.db", SQLITE_IOERR_WRITE, EDQUOT,
                                                "'INSERT INTO x' failed", "disk I/O error");
    EXPECT_TRUE(quota.is_no_space());
    EXPECT_EQ(quota.system_errno(), EDQUOT);
    EXPECT_TRUE(contains(quota.what(), ": disk quota exceeded on the file system mounted at "));
}

TEST(SqliteFailure, IoErrorNamesTheOperationAndTheSystemError) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    const Error error = describe_sqlite_failure(file, SQLITE_IOERR_WRITE, EIO, "'INSERT INTO packages ...' failed",
                                                "disk I/O error");
    EXPECT_EQ(std::string(error.what()), "catalogue " + file.string() +
                                             ": I/O error while writing on the file system mounted at " +
                                             mount_point_of(dir.path()).string() + " (Input/output error)");
    EXPECT_EQ(error.kind(), ErrorKind::io);
    EXPECT_EQ(error.system_errno(), EIO);
    EXPECT_FALSE(error.is_no_space());
    EXPECT_TRUE(contains(error.detail(), "INSERT INTO packages"));
    EXPECT_TRUE(contains(error.detail(), "errno 5"));
    // SQLite's errno is named, but the error carries EIO (for the FUSE edge).
    const Error noent = describe_sqlite_failure(file, SQLITE_IOERR_FSTAT, ENOENT, "'SELECT 1' failed", "disk I/O error");
    EXPECT_EQ(noent.system_errno(), EIO);
    EXPECT_TRUE(contains(noent.what(), "I/O error while examining a file on the file system mounted at "));
    EXPECT_TRUE(contains(noent.what(), "(No such file or directory)"));
    // Without an errno: no "(...)" suffix.
    const Error plain = describe_sqlite_failure(file, SQLITE_IOERR, 0, "'COMMIT' failed", "disk I/O error");
    EXPECT_EQ(plain.system_errno(), EIO);
    EXPECT_EQ(std::string(plain.what()), "catalogue " + file.string() + ": I/O error on the file system mounted at " +
                                             mount_point_of(dir.path()).string());
}

TEST(SqliteFailure, OtherCodesKeepTheirKinds) {
    EXPECT_EQ(describe_sqlite_failure("c.db", SQLITE_BUSY, 0, "x", "database is locked").kind(), ErrorKind::busy);
    EXPECT_EQ(describe_sqlite_failure("c.db", SQLITE_CORRUPT, 0, "x", "malformed").kind(), ErrorKind::corrupt);
    EXPECT_EQ(describe_sqlite_failure("c.db", SQLITE_CONSTRAINT_UNIQUE, 0, "x", "UNIQUE").kind(), ErrorKind::conflict);
    EXPECT_EQ(describe_sqlite_failure("c.db", SQLITE_ERROR, 0, "x", "no such table").kind(), ErrorKind::internal);
}

// A real SQLITE_FULL from a statement (max_page_count stands in for a full disk).
TEST(SqliteFailure, StatementThatRunsOutOfPagesThrowsTheNoSpaceError) {
    TempDir dir;
    Database database(dir / "full.db", Database::Access::read_write_create);
    database.execute("CREATE TABLE t (x BLOB)");
    database.execute("PRAGMA max_page_count = " + std::to_string(database.query_int64("PRAGMA page_count")));
    try {
        database.prepare("INSERT INTO t VALUES (zeroblob(1000000))").run();
        FAIL() << "the insert fitted";
    } catch (const Error& error) {
        EXPECT_TRUE(error.is_no_space()) << error.what();
        EXPECT_EQ(std::string(error.what()), "catalogue " + (dir / "full.db").string() +
                                                 ": no space left on the file system mounted at " +
                                                 mount_point_of(dir.path()).string());
        EXPECT_TRUE(contains(error.detail(), "INSERT INTO t"));
    }
    // The connection is usable afterwards.
    database.prepare("INSERT INTO t VALUES (x'00')").run();
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM t"), 1);
}

TEST(MountPoint, IsTheTopmostAncestorOnTheSameDevice) {
    TempDir dir;
    const auto mount = mount_point_of(dir.path());
    struct stat here {};
    struct stat top {};
    ASSERT_EQ(::stat(dir.path().c_str(), &here), 0);
    ASSERT_EQ(::stat(mount.c_str(), &top), 0);
    EXPECT_EQ(here.st_dev, top.st_dev);
    if (mount != mount.root_path()) {
        struct stat above {};
        ASSERT_EQ(::stat(mount.parent_path().c_str(), &above), 0);
        EXPECT_NE(above.st_dev, top.st_dev);
    }
    // A path that does not exist yet is judged by its nearest existing ancestor.
    EXPECT_EQ(mount_point_of(dir / "not/yet/there.db"), mount);
    EXPECT_EQ(mount_point_of("/proc/self/status"), "/proc");
}

TEST(Database, ReadWriteConnectionsKeepTheWalAndShmFiles) {
    TempDir dir;
    const auto file = dir / "chantal.db";
    {
        Catalogue catalogue = Catalogue::open(file, Catalogue::Mode::create);
        catalogue.database().execute("CREATE TABLE extra (x)");
        EXPECT_EQ(catalogue.database().query_int64("PRAGMA journal_size_limit"), Database::kWalSizeLimit);
    }
    // The last connection checkpointed and emptied the -wal, but kept both
    // files: a reader needs no new space for them.
    ASSERT_TRUE(std::filesystem::exists(file.string() + "-wal"));
    ASSERT_TRUE(std::filesystem::exists(file.string() + "-shm"));
    EXPECT_EQ(std::filesystem::file_size(file.string() + "-wal"), 0u);
    Catalogue read_only = Catalogue::open(file, Catalogue::Mode::read_only);
    EXPECT_EQ(read_only.database().query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'extra'"), 1);
}
