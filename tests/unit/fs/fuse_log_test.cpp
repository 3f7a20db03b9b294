// chantalfs's log (fs/log.h): the timestamp format, and -o log=FILE lines
// appended whole, one per message, from many threads.
#include "fs/log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/base/error.h"
#include "core/base/regex.h"
#include "support/temp_dir.h"

using namespace chantal::fs;

TEST(FuseLog, TimestampsAreUtcWithMilliseconds) {
    EXPECT_EQ(log_timestamp(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(log_timestamp(1764558986123LL), "2025-12-01T03:16:26.123Z");
    EXPECT_EQ(log_timestamp(1764558986007LL), "2025-12-01T03:16:26.007Z");
}

TEST(FuseLog, AFileGetsWholeTimestampedLinesFromEveryThread) {
    chantal::test_support::TempDir dir;
    const auto file = dir / "chantalfs.log";
    chantal::test_support::write_text(file, "kept\n");
    EXPECT_THROW(log_to_file(dir / "missing" / "x.log"), chantal::Error);
    EXPECT_FALSE(logging_to_file());
    log_to_file(file);
    ASSERT_TRUE(logging_to_file());
    log_to_syslog();  // a log file wins over syslog
    ASSERT_TRUE(logging_to_file());
    constexpr int kThreads = 8, kLines = 200;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i < kLines; ++i) log_line("thread " + std::to_string(t) + " line " + std::to_string(i));
        });
    for (auto& thread : threads) thread.join();

    std::ifstream in(file);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(line, "kept");
    const chantal::Regex shape(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z chantalfs\[\d+\]: thread \d line \d+$)");
    int count = 0;
    while (std::getline(in, line)) {
        EXPECT_TRUE(shape.search(line)) << line;
        ++count;
    }
    EXPECT_EQ(count, kThreads * kLines);
}
