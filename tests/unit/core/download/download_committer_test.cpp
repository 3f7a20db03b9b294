// commit_sink and BackgroundCommitter: a commit that fails closes its sink
// (the bytes stay for a resume) and comes back as the error, on the calling
// thread and on the committer's workers alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "core/download/download_committer.h"

namespace chantal {
namespace {

// Records what the transfer logic did to it; commit() throws when told to.
class RecordingSink final : public DownloadSink {
public:
    explicit RecordingSink(bool fail) : fail_(fail) {}
    std::uint64_t open() override { return 0; }
    void read_existing(const std::function<void(const void*, std::size_t)>&) override {}
    void write(const void*, std::size_t) override {}
    void truncate() override {}
    void commit() override {
        ++commits;
        if (fail_) throw Error::io("cannot fsync /pool/partial", 5);
    }
    void close() noexcept override { ++closes; }
    void discard() noexcept override { ++discards; }

    int commits = 0;
    int closes = 0;
    int discards = 0;

private:
    bool fail_;
};

TEST(CommitSink, ASucceedingCommitReturnsNoError) {
    RecordingSink sink(false);
    EXPECT_FALSE(commit_sink(sink).has_value());
    EXPECT_EQ(1, sink.commits);
    EXPECT_EQ(0, sink.closes);
}

TEST(CommitSink, AFailingCommitClosesTheSinkAndReturnsTheError) {
    RecordingSink sink(true);
    const auto error = commit_sink(sink);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(std::string(error->what()).find("cannot fsync /pool/partial"), std::string::npos) << error->what();
    EXPECT_EQ(1, sink.closes) << "closed, so a later run may resume it";
    EXPECT_EQ(0, sink.discards) << "the bytes are kept";
}

TEST(BackgroundCommitter, ReportsEachCommitWithItsTokenAndError) {
    std::atomic<int> wakes{0};
    RecordingSink good(false);
    RecordingSink bad(true);
    std::vector<BackgroundCommitter::Finished> finished;
    {
        BackgroundCommitter committer(2, [&wakes] { ++wakes; });
        committer.submit(7, &good);
        committer.submit(9, &bad);
        while (finished.size() < 2) {
            committer.wait_for_finished();
            for (auto& one : committer.take_finished()) finished.push_back(std::move(one));
        }
    }  // joins the workers: a worker wakes the loop just after it publishes a commit
    std::sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) { return a.token < b.token; });
    EXPECT_EQ(7u, finished[0].token);
    EXPECT_FALSE(finished[0].error.has_value());
    EXPECT_EQ(9u, finished[1].token);
    ASSERT_TRUE(finished[1].error.has_value());
    EXPECT_EQ(1, bad.closes);
    EXPECT_EQ(0, good.closes);
    EXPECT_EQ(2, wakes.load());
}

}  // namespace
}  // namespace chantal
