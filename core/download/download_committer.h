// BackgroundCommitter: runs DownloadSink::commit() (for files: fsync, and
// the inspection of a downloaded package) on a few worker threads, so that a
// slow disk never stalls the network loop and several fsyncs proceed at once
// (the file system batches their journal commits; measured ~3x faster than
// one fsync after another). Commits that never wait for the disk
// (DownloadSink::commit_is_quick: a writeback hint, a memory sink) run on the
// network loop itself: handing them over cost two thread switches per file.
//
// Thread safety: submit(), take_finished() and wait_for_finished() are
// called from one engine thread (each engine has its own committer); the
// workers only touch the sink they were
// handed. While a sink is being committed nobody else may use it.
// The destructor finishes queued commits, then joins the workers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/download/download_sink.h"

namespace chantal {

// Runs sink.commit(); when it throws, closes the sink (its bytes stay for a
// later resume) and returns the error. Used by the committer's workers and
// by a network loop that commits a quick sink itself.
std::optional<Error> commit_sink(DownloadSink& sink);

class BackgroundCommitter {
public:
    // threads >= 1. wake is called (from a worker) after each finished
    // commit, e.g. curl_multi_wakeup to end the engine's poll; it must be
    // thread-safe.
    BackgroundCommitter(unsigned threads, std::function<void()> wake);
    ~BackgroundCommitter();
    BackgroundCommitter(const BackgroundCommitter&) = delete;
    BackgroundCommitter& operator=(const BackgroundCommitter&) = delete;

    struct Finished {
        std::size_t token;           // as given to submit()
        std::optional<Error> error;  // commit() threw this
    };

    // Queues sink->commit(); the sink must stay alive until its Finished is taken.
    void submit(std::size_t token, DownloadSink* sink);
    // The commits finished since the last call (maybe none); never blocks.
    std::vector<Finished> take_finished();
    // Blocks until at least one finished commit is waiting to be taken.
    void wait_for_finished();

private:
    void work();

    std::function<void()> wake_;
    std::mutex mutex_;  // guards everything below
    std::condition_variable job_ready_;
    std::condition_variable job_done_;
    std::deque<std::pair<std::size_t, DownloadSink*>> jobs_;
    std::vector<Finished> finished_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;  // last: started after the state above exists
};

}  // namespace chantal
