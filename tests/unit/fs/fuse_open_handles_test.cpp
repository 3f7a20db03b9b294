// OpenHandles: owns what the kernel's fi->fh names, frees a handle at its
// release, and frees the handles never released when the table goes.
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "fs/open_handles.h"

namespace chantal::fs {
namespace {

// Counts the live instances through a shared counter.
struct CountedHandle {
    explicit CountedHandle(int& live, int value) : live(live), value(value) { ++live; }
    ~CountedHandle() { --live; }
    int& live;
    int value;
};

TEST(OpenHandles, GetReturnsTheAdoptedHandleUntilItsRelease) {
    int live = 0;
    OpenHandles handles;
    const auto fh = handles.adopt(std::make_unique<CountedHandle>(live, 7));
    EXPECT_EQ(1, live);
    EXPECT_EQ(7, OpenHandles::get<CountedHandle>(fh).value);
    EXPECT_EQ(1u, handles.size());
    auto released = handles.release(fh);
    EXPECT_EQ(1, live) << "the released handle lives as long as the returned pointer";
    released.reset();
    EXPECT_EQ(0, live);
    EXPECT_EQ(0u, handles.size());
}

TEST(OpenHandles, ReleasingAnUnknownHandleIsHarmless) {
    int live = 0;
    OpenHandles handles;
    const auto fh = handles.adopt(std::make_unique<CountedHandle>(live, 1));
    EXPECT_EQ(nullptr, handles.release(fh + 1));
    handles.release(fh);
    EXPECT_EQ(nullptr, handles.release(fh)) << "a second release of one handle";
    EXPECT_EQ(0, live);
}

TEST(OpenHandles, HandlesNeverReleasedAreFreedWithTheTable) {
    int live = 0;
    {
        OpenHandles handles;
        for (int value = 0; value < 5; ++value) handles.adopt(std::make_unique<CountedHandle>(live, value));
        handles.release(handles.adopt(std::make_unique<CountedHandle>(live, 5)));
        EXPECT_EQ(5, live);
    }
    EXPECT_EQ(0, live) << "an unmount that ends the session before every release";
}

TEST(OpenHandles, ThreadsAdoptAndReleaseConcurrently) {
    OpenHandles handles;
    std::vector<std::thread> threads;
    for (int thread = 0; thread < 4; ++thread)
        threads.emplace_back([&handles, thread] {
            for (int round = 0; round < 2000; ++round) {
                const auto fh = handles.adopt(std::make_unique<int>(thread * 10000 + round));
                ASSERT_EQ(thread * 10000 + round, OpenHandles::get<int>(fh));
                ASSERT_NE(nullptr, handles.release(fh));
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(0u, handles.size());
}

}  // namespace
}  // namespace chantal::fs
