#include "core/download/download_committer.h"

#include <algorithm>

namespace chantal {

std::optional<Error> commit_sink(DownloadSink& sink) {
    try {
        sink.commit();
        return std::nullopt;
    } catch (const Error& error) {
        sink.close();
        return error;
    }
}

BackgroundCommitter::BackgroundCommitter(unsigned threads, std::function<void()> wake) : wake_(std::move(wake)) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) workers_.emplace_back([this] { work(); });
}

BackgroundCommitter::~BackgroundCommitter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    job_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void BackgroundCommitter::submit(std::size_t token, DownloadSink* sink) {
    {
        std::lock_guard lock(mutex_);
        jobs_.emplace_back(token, sink);
    }
    job_ready_.notify_one();
}

std::vector<BackgroundCommitter::Finished> BackgroundCommitter::take_finished() {
    std::lock_guard lock(mutex_);
    return std::exchange(finished_, {});
}

void BackgroundCommitter::wait_for_finished() {
    std::unique_lock lock(mutex_);
    job_done_.wait(lock, [this] { return !finished_.empty(); });
}

void BackgroundCommitter::work() {
    for (;;) {
        std::pair<std::size_t, DownloadSink*> job;
        {
            std::unique_lock lock(mutex_);
            job_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, and nothing left to do
            job = jobs_.front();
            jobs_.pop_front();
        }
        Finished finished{job.first, commit_sink(*job.second)};
        {
            std::lock_guard lock(mutex_);
            finished_.push_back(std::move(finished));
        }
        job_done_.notify_all();
        if (wake_) wake_();
    }
}

}  // namespace chantal
