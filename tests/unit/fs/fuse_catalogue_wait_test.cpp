// chantalfs and a locked catalogue (fs/catalogue_connection.h): a lock that
// ends within the limit is waited for, one that lasts longer is Error::busy
// (EIO at the FUSE edge), never a hang; WAL readers are not blocked at all.
#include "fs/catalogue_connection.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "core/base/error.h"
#include "core/catalogue/catalogue.h"
#include "fs/errno_map.h"
#include "support/temp_dir.h"

using namespace chantal;
using namespace chantal::fs;
using namespace std::chrono_literals;

namespace {

// Another process's connection, as raw as the sqlite3 CLI's: holds
// `begin` (with a write) until release() or destruction.
class LockHolder {
public:
    LockHolder(const std::filesystem::path& file, const char* begin) {
        sqlite3_open_v2(file.c_str(), &connection_, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_busy_timeout(connection_, 10000);
        execute(begin);
        execute("CREATE TABLE lock_probe (x)");
    }
    LockHolder(const LockHolder&) = delete;
    LockHolder& operator=(const LockHolder&) = delete;
    ~LockHolder() { sqlite3_close_v2(connection_); }
    void release() { execute("ROLLBACK"); }

private:
    void execute(const char* sql) {
        ASSERT_EQ(SQLITE_OK, sqlite3_exec(connection_, sql, nullptr, nullptr, nullptr)) << sql;
    }
    sqlite3* connection_ = nullptr;
};

class CatalogueWaitTest : public ::testing::Test {
protected:
    void SetUp() override { Catalogue::open(file_, Catalogue::Mode::create); }
    void use_rollback_journal() {
        Database database(file_, Database::Access::read_write);
        database.execute("PRAGMA journal_mode = DELETE");
    }
    test_support::TempDir dir_;
    std::filesystem::path file_ = dir_ / "chantal.db";
};

ErrorKind kind_of(auto&& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.kind();
    }
    ADD_FAILURE() << "no error";
    return ErrorKind::internal;
}

}  // namespace

TEST_F(CatalogueWaitTest, LockLongerThanTheLimitIsBusyAndEio) {
    use_rollback_journal();
    CatalogueConnection reader(file_, Database::Access::read_only, 200ms);
    LockHolder holder(file_, "BEGIN EXCLUSIVE");
    EXPECT_EQ(ErrorKind::busy, kind_of([&] { reader.database().query_int64("SELECT count(*) FROM repositories"); }));
    EXPECT_EQ(EIO, errno_for(Error::busy("catalogue locked")));
    holder.release();
    EXPECT_EQ(0, reader.database().query_int64("SELECT count(*) FROM repositories"));  // and usable again
}

TEST_F(CatalogueWaitTest, NewConnectionWhileLockedIsBusyToo) {
    use_rollback_journal();
    LockHolder holder(file_, "BEGIN EXCLUSIVE");
    EXPECT_EQ(ErrorKind::busy, kind_of([&] { [[maybe_unused]] CatalogueConnection late(file_, Database::Access::read_only, 100ms); }));
}

TEST_F(CatalogueWaitTest, LockEndingWithinTheLimitIsWaitedFor) {
    use_rollback_journal();
    CatalogueConnection reader(file_, Database::Access::read_only, 60s);
    LockHolder holder(file_, "BEGIN EXCLUSIVE");
    std::thread releaser([&] {
        std::this_thread::sleep_for(300ms);
        holder.release();
    });
    EXPECT_EQ(0, reader.database().query_int64("SELECT count(*) FROM repositories"));
    releaser.join();
}

TEST_F(CatalogueWaitTest, WalReadersAreNotBlockedButWritesWait) {
    CatalogueConnection writer(file_, Database::Access::read_write, 200ms);
    LockHolder holder(file_, "BEGIN IMMEDIATE");
    EXPECT_EQ(0, writer.database().query_int64("SELECT count(*) FROM repositories"));
    CatalogueConnection reader(file_, Database::Access::read_only, 200ms);
    EXPECT_EQ(0, reader.database().query_int64("SELECT count(*) FROM repositories"));
    EXPECT_EQ(ErrorKind::busy, kind_of([&] { Transaction transaction(writer.database()); }));
    std::thread releaser([&] {
        std::this_thread::sleep_for(100ms);
        holder.release();
    });
    CatalogueConnection patient(file_, Database::Access::read_write, 60s);
    Transaction transaction(patient.database());
    transaction.commit();
    releaser.join();
}

TEST_F(CatalogueWaitTest, MissingCatalogueIsNotFound) {
    EXPECT_EQ(ErrorKind::not_found,
              kind_of([&] {
                  [[maybe_unused]] CatalogueConnection missing(dir_ / "missing.db", Database::Access::read_only, 100ms);
              }));
}
