#include "core/download/download_batch.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <utility>

#include "core/download/download_committer.h"
#include "core/download/download_transfer.h"

namespace chantal {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollInterval{100};  // also the cancel and progress granularity

// Hands the transfers of a batch out to its engines, each index once.
// Thread-safe.
class TransferSource {
public:
    explicit TransferSource(std::size_t count) : count_(count) {}
    std::optional<std::size_t> claim() {
        const std::size_t index = next_.fetch_add(1, std::memory_order_relaxed);
        return index < count_ ? std::optional(index) : std::nullopt;
    }
    bool exhausted() const { return next_.load(std::memory_order_relaxed) >= count_; }

private:
    const std::size_t count_;
    std::atomic<std::size_t> next_{0};
};

// The batch's progress, summed over its engines, and the one caller of the
// progress callback: never concurrently with itself (it holds a lock while
// the callback runs). Thread-safe.
class BatchProgress {
public:
    BatchProgress(const ProgressCallback& callback, std::size_t engines,
                  const std::vector<std::unique_ptr<Transfer>>& transfers)
        : callback_(callback), engines_(engines) {
        total_.files_total = transfers.size();
        for (const auto& transfer : transfers) total_.bytes_total += transfer->expected_size();
    }
    bool wanted() const { return static_cast<bool>(callback_); }

    // Records one engine's share; calls the callback with the sum when
    // `force` or when the last call is kPollInterval old.
    void report(std::size_t engine, const DownloadProgress& share, bool force) {
        std::lock_guard lock(mutex_);
        engines_[engine] = share;
        const Clock::time_point now = Clock::now();
        if (!force && now - last_report_ < kPollInterval) return;
        last_report_ = now;
        DownloadProgress sum = total_;
        for (const DownloadProgress& part : engines_) {
            sum.files_done += part.files_done;
            sum.files_failed += part.files_failed;
            sum.bytes_done += part.bytes_done;
            sum.bytes_transferred += part.bytes_transferred;
        }
        callback_(sum);
    }

private:
    const ProgressCallback& callback_;
    std::mutex mutex_;  // guards the members below and each call of callback_
    std::vector<DownloadProgress> engines_;  // each engine's files and bytes
    DownloadProgress total_;                 // files_total and bytes_total
    Clock::time_point last_report_{};
};

// One engine's part of a batch, run to completion on the calling thread:
// it claims transfers from `source` while it has fewer than `parallel` in
// flight, and schedules retries after their backoff. Stops like a cancel
// when *cancel or *stop becomes true.
class BatchRun {
public:
    BatchRun(CURLM* multi, BackgroundCommitter& committer, unsigned parallel,
             std::vector<std::unique_ptr<Transfer>>& transfers, TransferSource& source, BatchProgress& progress,
             std::size_t engine, const std::atomic<bool>* cancel, const std::atomic<bool>* stop)
        : multi_(multi),
          committer_(committer),
          parallel_(parallel),
          transfers_(transfers),
          source_(source),
          progress_(progress),
          engine_(engine),
          cancel_(cancel),
          stop_(stop) {
        accounted_.resize(transfers.size(), 0);
    }

    ~BatchRun() {
        // Only reached with transfers in flight when something threw (e.g. the
        // progress callback): detach them so no easy handle outlives its multi.
        for (std::size_t index : running_) {
            curl_multi_remove_handle(multi_, transfers_[index]->easy());
            transfers_[index]->cancel();
        }
        // The committer still holds sinks of this batch: wait for them.
        while (committing_ > 0) {
            committer_.wait_for_finished();
            committing_ -= committer_.take_finished().size();
        }
    }

    void run() {
        for (;;) {
            if (!cancelled_ && ((cancel_ && cancel_->load(std::memory_order_relaxed)) ||
                                (stop_ && stop_->load(std::memory_order_relaxed))))
                cancel_all();
            collect_committed();
            promote_due_retries();
            start_ready();
            if (all_done()) break;
            int still_running = 0;
            CURLMcode code = curl_multi_perform(multi_, &still_running);
            if (code != CURLM_OK) throw Error::internal(std::string("libcurl: ") + curl_multi_strerror(code));
            collect_finished();
            abort_stalled();
            report_progress(false);
            // Nothing to wait for (e.g. the last transfer just failed with a
            // 404), or a slot to fill: no poll, which would sleep its full
            // timeout with no socket to wake it.
            if (all_done() || (has_transfer_to_start() && can_start())) continue;
            code = curl_multi_poll(multi_, nullptr, 0, static_cast<int>(poll_timeout().count()), nullptr);
            if (code != CURLM_OK) throw Error::internal(std::string("libcurl: ") + curl_multi_strerror(code));
        }
        report_progress(true);
    }

private:
    // A transfer to start: a retry first, then one not claimed yet.
    std::optional<std::size_t> next_ready() {
        if (ready_.empty()) return cancelled_ ? std::nullopt : source_.claim();
        const std::size_t index = ready_.front();
        ready_.pop_front();
        return index;
    }

    // A retry is ready, or the batch has transfers no engine claimed yet.
    bool has_transfer_to_start() const { return !ready_.empty() || (!cancelled_ && !source_.exhausted()); }

    void start_ready() {
        while (can_start()) {
            const auto next = next_ready();
            if (!next) break;
            const std::size_t index = *next;
            Transfer& transfer = *transfers_[index];
            Transfer::Verdict verdict;
            try {
                if (transfer.begin_attempt()) {
                    CURLMcode code = curl_multi_add_handle(multi_, transfer.easy());
                    if (code != CURLM_OK)
                        throw Error::internal(std::string("libcurl: ") + curl_multi_strerror(code));
                    running_.push_back(index);
                    continue;
                }
                verdict = transfer.end_local_attempt();
            } catch (const Error& error) {
                transfer.abandon(error);
                verdict = Transfer::Verdict::failed;
            }
            apply(index, verdict);
        }
    }

    bool all_done() const {
        return running_.empty() && ready_.empty() && waiting_.empty() && committing_ == 0 &&
               (cancelled_ || source_.exhausted());
    }

    // A free transfer slot, and not too many files waiting for their fsync
    // (each holds a descriptor).
    bool can_start() const { return running_.size() < parallel_ && committing_ < 4 * std::size_t{parallel_}; }

    void collect_finished() {
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL* easy = message->easy_handle;
            CURLcode result = message->data.result;
            void* owner = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
            curl_multi_remove_handle(multi_, easy);
            auto* transfer = static_cast<Transfer*>(owner);
            std::size_t index = transfer->result().index;
            running_.erase(std::find(running_.begin(), running_.end(), index));
            apply(index, transfer->end_attempt(result));
        }
    }

    void abort_stalled() {
        Clock::time_point now = Clock::now();
        for (std::size_t i = 0; i < running_.size();) {
            Transfer& transfer = *transfers_[running_[i]];
            if (!transfer.stalled(now)) {
                ++i;
                continue;
            }
            std::size_t index = running_[i];
            running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(i));
            curl_multi_remove_handle(multi_, transfer.easy());
            apply(index, transfer.end_stalled());
        }
    }

    void apply(std::size_t index, Transfer::Verdict verdict) {
        Transfer& transfer = *transfers_[index];
        // Bytes received by attempts that ended count from now on as "done".
        transferred_ += transfer.bytes_transferred() - accounted_[index];
        accounted_[index] = transfer.bytes_transferred();
        switch (verdict) {
            case Transfer::Verdict::verified:
                // A quick commit (DownloadSink::commit_is_quick) runs here.
                if (transfer.sink().commit_is_quick()) return apply(index, transfer.end_commit(commit_sink(transfer.sink())));
                ++committing_;
                committing_bytes_ += transfer.result().size;
                committer_.submit(index, &transfer.sink());
                return;
            case Transfer::Verdict::retry_now:
                ready_.push_front(index);
                return;
            case Transfer::Verdict::retry_later:
                waiting_.push({Clock::now() + transfer.backoff(), index});
                return;
            case Transfer::Verdict::failed:
                ++progress_state_.files_failed;
                [[fallthrough]];
            case Transfer::Verdict::succeeded:
                ++progress_state_.files_done;
                finished_bytes_ += transfer.result().ok() ? transfer.result().size : 0;
                report_progress(true);
                return;
        }
    }

    void collect_committed() {
        for (BackgroundCommitter::Finished& finished : committer_.take_finished()) {
            --committing_;
            committing_bytes_ -= transfers_[finished.token]->result().size;
            apply(finished.token, transfers_[finished.token]->end_commit(std::move(finished.error)));
        }
    }

    void promote_due_retries() {
        Clock::time_point now = Clock::now();
        while (!waiting_.empty() && waiting_.top().first <= now) {
            ready_.push_back(waiting_.top().second);
            waiting_.pop();
        }
    }

    std::chrono::milliseconds poll_timeout() const {
        std::chrono::milliseconds timeout = kPollInterval;
        if (!waiting_.empty()) {
            auto until = std::chrono::duration_cast<std::chrono::milliseconds>(waiting_.top().first - Clock::now());
            timeout = std::clamp(until, std::chrono::milliseconds(0), timeout);
        }
        return timeout;
    }

    void cancel_all() {
        cancelled_ = true;
        for (std::size_t index : running_) {
            curl_multi_remove_handle(multi_, transfers_[index]->easy());
            transfers_[index]->cancel();
        }
        running_.clear();
        // This engine's transfers waiting to start or to retry, and those no
        // engine claimed yet. Files being committed are complete and
        // verified: let them finish.
        for (std::size_t index : ready_) transfers_[index]->cancel();
        ready_.clear();
        for (; !waiting_.empty(); waiting_.pop()) transfers_[waiting_.top().second]->cancel();
        while (const auto index = source_.claim()) transfers_[*index]->cancel();
    }

    void report_progress(bool force) {
        if (!progress_.wanted()) return;
        const Clock::time_point now = Clock::now();
        if (!force && now - last_report_ < kPollInterval) return;
        last_report_ = now;
        progress_state_.bytes_done = finished_bytes_ + committing_bytes_;
        progress_state_.bytes_transferred = transferred_;
        for (std::size_t index : running_) {
            progress_state_.bytes_done += transfers_[index]->bytes_held();
            progress_state_.bytes_transferred += transfers_[index]->bytes_transferred() - accounted_[index];
        }
        progress_.report(engine_, progress_state_, force);
    }

    CURLM* multi_;
    BackgroundCommitter& committer_;
    const unsigned parallel_;
    std::vector<std::unique_ptr<Transfer>>& transfers_;
    TransferSource& source_;
    BatchProgress& progress_;
    const std::size_t engine_;
    const std::atomic<bool>* cancel_;
    const std::atomic<bool>* stop_;

    std::deque<std::size_t> ready_;    // may start now (front: restarts)
    std::vector<std::size_t> running_;  // added to the multi handle
    using Due = std::pair<Clock::time_point, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> waiting_;  // backing off
    DownloadProgress progress_state_;  // this engine's files and bytes (totals: BatchProgress)
    std::uint64_t finished_bytes_ = 0;
    std::uint64_t transferred_ = 0;       // received by attempts that have ended
    std::vector<std::uint64_t> accounted_;  // per transfer: its share already in transferred_
    Clock::time_point last_report_{};
    std::size_t committing_ = 0;  // handed to the committer, not yet collected
    std::uint64_t committing_bytes_ = 0;
    bool cancelled_ = false;
};

}  // namespace

void run_transfer_batch(std::span<const BatchEngine> engine_list, std::vector<std::unique_ptr<Transfer>>& transfers,
                        const ProgressCallback& progress, const std::atomic<bool>* cancel) {
    const std::size_t engines = engine_list.size();
    TransferSource source(transfers.size());
    BatchProgress batch_progress(progress, engines, transfers);
    std::atomic<bool> stop{false};  // an engine failed: the others stop like a cancel
    std::vector<std::exception_ptr> failures(engines);
    const auto run_engine = [&](std::size_t index) {
        try {
            const BatchEngine& engine = engine_list[index];
            BatchRun(engine.multi, *engine.committer, engine.parallel, transfers, source, batch_progress, index, cancel,
                     &stop)
                .run();
        } catch (...) {
            failures[index] = std::current_exception();
            stop = true;
        }
    };
    {
        std::vector<std::jthread> helpers;  // joined when the block ends, also when a thread cannot start
        try {
            for (std::size_t index = 1; index < engines; ++index) helpers.emplace_back(run_engine, index);
        } catch (...) {
            stop = true;
            throw;
        }
        run_engine(0);
    }
    for (const std::exception_ptr& failure : failures)
        if (failure) std::rethrow_exception(failure);
}

}  // namespace chantal
