// The sync lock: exclusive, released on destruction and on process death,
// and testable (lock_is_held) without taking it.
#include "core/sync/sync_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "core/base/error.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;

TEST(SyncLock, PathIsPerRepository) {
    EXPECT_EQ(sync_lock_path("/var/lib/chantal/tmp", "el9-base"), "/var/lib/chantal/tmp/sync-el9-base.lock");
}

TEST(SyncLock, ProbeSeesAHolderInThisProcess) {
    TempDir dir;
    const auto file = sync_lock_path(dir.path(), "base");
    EXPECT_EQ(lock_is_held(file), LockProbe::free);  // no file yet
    {
        FileLock lock(file, "a sync of repo base");
        EXPECT_EQ(lock_is_held(file), LockProbe::held);
        try {
            FileLock second(file, "a sync of repo base");
            FAIL() << "a second lock was granted";
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::busy);
        }
    }
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(lock_is_held(file), LockProbe::free);
}

TEST(SyncLock, ProbeSeesAHolderInAnotherProcessUntilItDies) {
    TempDir dir;
    const auto file = sync_lock_path(dir.path(), "base");
    int ready[2];
    int finish[2];
    ASSERT_EQ(::pipe(ready), 0);
    ASSERT_EQ(::pipe(finish), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        FileLock lock(file, "a sync of repo base");
        char byte = 1;
        if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
        if (::read(finish[0], &byte, 1) < 0) ::_exit(2);
        ::_exit(0);  // dies holding the lock, like a killed sync
    }
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    EXPECT_EQ(lock_is_held(file), LockProbe::held);
    try {
        FileLock second(file, "a sync of repo base");
        ADD_FAILURE() << "the lock of a living process was granted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::busy);
    }
    ASSERT_EQ(::write(finish[1], &byte, 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(lock_is_held(file), LockProbe::free);
    FileLock after(file, "a sync of repo base");  // free again
    for (int fd : {ready[0], ready[1], finish[0], finish[1]}) ::close(fd);
}

// Probing never takes the lock, so it never makes a starting sync fail.
TEST(SyncLock, ProbingNeverMakesALockAttemptFail) {
    TempDir dir;
    const auto file = sync_lock_path(dir.path(), "base");
    std::atomic<bool> stop{false};
    std::thread prober([&] {
        while (!stop.load()) lock_is_held(file);
    });
    int busy = 0;
    for (int i = 0; i < 2000; ++i) {
        try {
            FileLock lock(file, "a sync of repo base");
        } catch (const Error&) {
            ++busy;
        }
    }
    stop = true;
    prober.join();
    EXPECT_EQ(busy, 0);
}
