#include "core/pool/pool.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;

namespace {

std::size_t count_files(const std::filesystem::path& root) {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
        if (entry.is_regular_file()) ++count;
    return count;
}

}  // namespace

TEST(Pool, LayoutIsShaPrefixedDirectories) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    PoolEntry entry = pool.add_bytes("hello", "hello-1.0-1.noarch.rpm");
    const std::string sha = sha256_hex("hello");
    EXPECT_EQ(entry.sha256, sha);
    EXPECT_EQ(entry.size, 5u);
    EXPECT_FALSE(entry.already_present);
    EXPECT_EQ(entry.path, dir / "pool" / sha.substr(0, 2) / sha.substr(2, 2) / (sha + "_hello-1.0-1.noarch.rpm"));
    EXPECT_TRUE(std::filesystem::exists(entry.path));
    EXPECT_TRUE(pool.contains(sha, "hello-1.0-1.noarch.rpm"));
    EXPECT_EQ(count_files(dir / "tmp"), 0u) << "temp file left behind";
}

TEST(Pool, SameContentIsStoredOnce) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    pool.add_bytes("same bytes", "a.rpm");
    PoolWriter writer = pool.writer("a.rpm");
    writer.write("same ");
    writer.write("bytes");
    PoolEntry second = writer.commit();
    EXPECT_TRUE(second.already_present);
    EXPECT_EQ(count_files(dir / "pool"), 1u);
    EXPECT_EQ(count_files(dir / "tmp"), 0u);
    PoolStats stats = pool.stats();
    EXPECT_EQ(stats.files, 1u);
    EXPECT_EQ(stats.bytes, 10u);
}

TEST(Pool, WriterWithoutCommitLeavesNothing) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    {
        PoolWriter writer = pool.writer("partial.rpm");
        writer.write(std::string(100000, 'z'));
    }
    EXPECT_EQ(count_files(dir / "pool"), 0u);
    EXPECT_EQ(count_files(dir / "tmp"), 0u);
}

TEST(Pool, ProcessKilledMidWriteLeavesNoFileUnderAFinalName) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        PoolWriter writer = pool.writer("big.rpm");
        writer.write(std::string(1 << 20, 'a'));
        ::kill(::getpid(), SIGKILL);  // dies before commit, like kill -9 mid-download
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(count_files(dir / "pool"), 0u) << "a half-written file reached the pool";
    EXPECT_EQ(pool.stats().files, 0u);
}

TEST(Pool, ExpectedChecksumMismatchIsRefused) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    PoolWriter writer = pool.writer("x.rpm");
    writer.write("actual");
    try {
        writer.commit(sha256_hex("expected"));
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::corrupt);
        EXPECT_NE(std::string(error.what()).find("x.rpm"), std::string::npos);
    }
    EXPECT_EQ(count_files(dir / "pool"), 0u);
}

TEST(Pool, TwoProcessesAddingTheSameContentBothSucceedWithOneFile) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    const std::string content(4 << 20, 'c');
    for (int round = 0; round < 5; ++round) {
        pid_t children[2];
        for (pid_t& child : children) {
            child = ::fork();
            ASSERT_GE(child, 0);
            if (child == 0) {
                try {
                    Pool own(dir / "pool", dir / "tmp");
                    PoolEntry entry = own.add_bytes(content + std::to_string(round), "same.rpm");
                    ::_exit(entry.size == content.size() + 1 ? 0 : 3);
                } catch (...) {
                    ::_exit(2);
                }
            }
        }
        for (pid_t child : children) {
            int status = 0;
            ::waitpid(child, &status, 0);
            ASSERT_TRUE(WIFEXITED(status));
            EXPECT_EQ(WEXITSTATUS(status), 0);
        }
    }
    EXPECT_EQ(count_files(dir / "pool"), 5u);
    EXPECT_EQ(count_files(dir / "tmp"), 0u);
}

TEST(Pool, VerifyDetectsAFlippedByteAndAMissingFile) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    PoolEntry entry = pool.add_bytes(std::string(70000, 'p'), "pkg.rpm");
    EXPECT_EQ(pool.verify(entry.sha256, "pkg.rpm", entry.size), PoolFileState::ok);
    {
        std::fstream file(entry.path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(12345);
        file.put('q');
    }
    EXPECT_EQ(pool.verify(entry.sha256, "pkg.rpm", entry.size), PoolFileState::wrong_checksum);
    std::filesystem::resize_file(entry.path, 10);
    EXPECT_EQ(pool.verify(entry.sha256, "pkg.rpm", entry.size), PoolFileState::wrong_size);
    std::filesystem::remove(entry.path);
    EXPECT_EQ(pool.verify(entry.sha256, "pkg.rpm", entry.size), PoolFileState::missing);
}

TEST(Pool, AdoptsAVerifiedDownload) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    test_support::write_text(dir / "tmp/download.part", "downloaded");
    PoolEntry entry = pool.adopt_verified_file(dir / "tmp/download.part", sha256_hex("downloaded"), "d.rpm");
    EXPECT_FALSE(std::filesystem::exists(dir / "tmp/download.part"));
    EXPECT_EQ(pool.verify(entry.sha256, "d.rpm"), PoolFileState::ok);
    test_support::write_text(dir / "tmp/again.part", "downloaded");
    EXPECT_TRUE(pool.adopt_verified_file(dir / "tmp/again.part", entry.sha256, "d.rpm").already_present);
    EXPECT_FALSE(std::filesystem::exists(dir / "tmp/again.part"));
}

TEST(Pool, PreparedDirectoryHoldsNoContentAndAdoptionUsesIt) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    const std::string sha256 = sha256_hex("prepared");
    pool.prepare_directory(sha256, "p.rpm");
    pool.prepare_directory(sha256, "p.rpm");  // idempotent
    const auto path = pool.path_for(sha256, "p.rpm");
    EXPECT_TRUE(std::filesystem::is_directory(path.parent_path()));
    EXPECT_FALSE(pool.contains(sha256, "p.rpm"));
    EXPECT_EQ(pool.stats().files, 0u);
    test_support::write_text(dir / "tmp/p.part", "prepared");
    PoolEntry entry = pool.adopt_verified_file(dir / "tmp/p.part", sha256, "p.rpm", Pool::Durability::deferred);
    EXPECT_EQ(entry.path, path);
    EXPECT_EQ(pool.verify(sha256, "p.rpm", 8), PoolFileState::ok);
    EXPECT_THROW(pool.prepare_directory("not-a-digest", "p.rpm"), Error);
    // A file where the directory should be is reported, not papered over.
    const std::string other = sha256_hex("blocked");
    std::filesystem::create_directories(pool.path_for(other, "b.rpm").parent_path().parent_path());
    test_support::write_text(pool.path_for(other, "b.rpm").parent_path(), "not a directory");
    test_support::write_text(dir / "tmp/b.part", "blocked");
    EXPECT_THROW(pool.adopt_verified_file(dir / "tmp/b.part", other, "b.rpm"), Error);
}

// Each <aa>/<bb> directory is created once per pool object; one removed
// behind its back (by hand) is made again when a file goes there.
TEST(Pool, DirectoryRemovedAfterUseIsMadeAgain) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    const Pool copy = pool;  // copies share what they know
    test_support::write_text(dir / "tmp/a.part", "first");
    const auto first = pool.adopt_verified_file(dir / "tmp/a.part", sha256_hex("first"), "a.rpm");
    std::filesystem::remove_all(dir / "pool" / first.sha256.substr(0, 2));
    test_support::write_text(dir / "tmp/b.part", "first");
    const auto again = copy.adopt_verified_file(dir / "tmp/b.part", sha256_hex("first"), "a.rpm");
    EXPECT_FALSE(again.already_present);
    EXPECT_EQ(pool.verify(again.sha256, "a.rpm", 5), PoolFileState::ok);
    EXPECT_EQ(std::filesystem::status(again.path).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                  std::filesystem::perms::group_read | std::filesystem::perms::others_read);
}

TEST(Pool, RefusesUnsafeNamesAndDigests) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    EXPECT_THROW(pool.add_bytes("x", "../escape.rpm"), Error);
    EXPECT_THROW(pool.add_bytes("x", ".."), Error);
    EXPECT_THROW(pool.add_bytes("x", ""), Error);
    EXPECT_THROW(pool.path_for("../../etc", "x"), Error);
    EXPECT_TRUE(is_safe_pool_filename("chantal-c++-utils-1.0~rc1-1.noarch.rpm"));
    EXPECT_FALSE(is_safe_pool_filename("a\nb"));
}

TEST(Pool, TouchRefreshesTheModificationTime) {
    TempDir dir;
    Pool pool(dir / "pool", dir / "tmp");
    PoolEntry entry = pool.add_bytes("reused", "r.rpm");
    const auto old_time = std::filesystem::file_time_type::clock::now() - std::chrono::hours(48);
    std::filesystem::last_write_time(entry.path, old_time);
    pool.touch(entry.sha256, "r.rpm");
    EXPECT_GT(std::filesystem::last_write_time(entry.path), old_time + std::chrono::hours(47));
    EXPECT_THROW(pool.touch(sha256_hex("absent"), "a.rpm"), Error);
}
