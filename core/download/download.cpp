#include "core/download/download.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <queue>
#include <utility>

#include "core/download/download_committer.h"
#include "core/download/download_sink.h"
#include "core/download/download_transfer.h"

namespace chantal {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollInterval{100};  // also the cancel and progress granularity

void set_multi_option(CURLM* multi, CURLMoption option, long value) {
    CURLMcode code = curl_multi_setopt(multi, option, value);
    if (code != CURLM_OK)
        throw Error::internal(std::string("cannot set a libcurl multi option: ") + curl_multi_strerror(code));
}

// Runs a batch of transfers to completion on the calling thread: at most
// `parallel` in flight, retries scheduled after their backoff.
class BatchRun {
public:
    BatchRun(CURLM* multi, BackgroundCommitter& committer, const DownloadOptions& options,
             std::vector<std::unique_ptr<Transfer>>& transfers, const ProgressCallback& progress,
             const std::atomic<bool>* cancel)
        : multi_(multi),
          committer_(committer),
          options_(options),
          transfers_(transfers),
          progress_(progress),
          cancel_(cancel) {
        progress_state_.files_total = transfers.size();
        in_commit_.resize(transfers.size(), false);
        accounted_.resize(transfers.size(), 0);
        for (std::size_t i = 0; i < transfers.size(); ++i) ready_.push_back(i);
        for (const auto& transfer : transfers) progress_state_.bytes_total += transfer->expected_size();
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
            if (!cancelled_ && cancel_ && cancel_->load(std::memory_order_relaxed)) cancel_all();
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
            if (all_done() || (!ready_.empty() && can_start())) continue;
            code = curl_multi_poll(multi_, nullptr, 0, static_cast<int>(poll_timeout().count()), nullptr);
            if (code != CURLM_OK) throw Error::internal(std::string("libcurl: ") + curl_multi_strerror(code));
        }
        report_progress(true);
    }

private:
    void start_ready() {
        while (can_start() && !ready_.empty()) {
            std::size_t index = ready_.front();
            ready_.pop_front();
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
        return running_.empty() && ready_.empty() && waiting_.empty() && committing_ == 0;
    }

    // A free transfer slot, and not too many files waiting for their fsync
    // (each holds a descriptor).
    bool can_start() const {
        std::size_t parallel = options_.parallel;
        return running_.size() < parallel && committing_ < 4 * parallel;
    }

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
                ++committing_;
                committing_bytes_ += transfer.result().size;
                in_commit_[index] = true;
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
            in_commit_[finished.token] = false;
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
        // Files being committed are complete and verified: let them finish.
        for (auto& transfer : transfers_)
            if (!transfer->finished() && !in_commit_[transfer->result().index]) transfer->cancel();
        while (!waiting_.empty()) waiting_.pop();
        ready_.clear();
    }

    void report_progress(bool force) {
        if (!progress_) return;
        Clock::time_point now = Clock::now();
        if (!force && now - last_report_ < kPollInterval) return;
        last_report_ = now;
        progress_state_.bytes_done = finished_bytes_ + committing_bytes_;
        progress_state_.bytes_transferred = transferred_;
        for (std::size_t index : running_) {
            progress_state_.bytes_done += transfers_[index]->bytes_held();
            progress_state_.bytes_transferred += transfers_[index]->bytes_transferred() - accounted_[index];
        }
        progress_(progress_state_);
    }

    CURLM* multi_;
    BackgroundCommitter& committer_;
    const DownloadOptions& options_;
    std::vector<std::unique_ptr<Transfer>>& transfers_;
    const ProgressCallback& progress_;
    const std::atomic<bool>* cancel_;

    std::deque<std::size_t> ready_;    // may start now (front: restarts)
    std::vector<std::size_t> running_;  // added to the multi handle
    using Due = std::pair<Clock::time_point, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> waiting_;  // backing off
    DownloadProgress progress_state_;
    std::uint64_t finished_bytes_ = 0;
    std::uint64_t transferred_ = 0;       // received by attempts that have ended
    std::vector<std::uint64_t> accounted_;  // per transfer: its share already in transferred_
    Clock::time_point last_report_{};
    std::size_t committing_ = 0;  // handed to the committer, not yet collected
    std::uint64_t committing_bytes_ = 0;
    std::vector<bool> in_commit_;  // per transfer: handed to the committer
    bool cancelled_ = false;
};

std::vector<DownloadResult> take_results(std::vector<std::unique_ptr<Transfer>>& transfers) {
    std::vector<DownloadResult> results;
    results.reserve(transfers.size());
    for (auto& transfer : transfers) results.push_back(transfer->take_result());
    return results;
}

}  // namespace

Downloader::Downloader(DownloadOptions options) : options_(std::move(options)), multi_(make_curl_multi()) {
    if (options_.parallel == 0) options_.parallel = 1;
    long parallel = static_cast<long>(options_.parallel);
    set_multi_option(multi_.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    set_multi_option(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, parallel);
    set_multi_option(multi_.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, parallel);
    set_multi_option(multi_.get(), CURLMOPT_MAXCONNECTS, parallel);
    unsigned commit_threads = std::clamp(options_.parallel, 2u, 8u);
    committer_ = std::make_unique<BackgroundCommitter>(commit_threads, [multi = multi_.get()] { curl_multi_wakeup(multi); });
}

Downloader::~Downloader() = default;

std::vector<DownloadResult> Downloader::download(const std::vector<DownloadRequest>& requests,
                                                 const ProgressCallback& progress,
                                                 const std::atomic<bool>* cancel) {
    std::vector<std::unique_ptr<Transfer>> transfers;
    transfers.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i)
        transfers.push_back(std::make_unique<Transfer>(i, requests[i],
                                                       std::make_unique<FileSink>(requests[i].destination, options_.fsync_files,
                                                                                  requests[i].inspect_file),
                                                       options_));
    BatchRun(multi_.get(), *committer_, options_, transfers, progress, cancel).run();
    return take_results(transfers);
}

DownloadResult Downloader::fetch_to_file(const DownloadRequest& request) {
    DownloadResult result = std::move(download({request}).front());
    if (result.error) throw *result.error;
    return result;
}

std::optional<std::string> Downloader::fetch_if_present(const std::string& url, std::uint64_t max_size) {
    try {
        return fetch_to_memory(url, max_size);
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::not_found) return std::nullopt;
        throw;
    }
}

std::string Downloader::fetch_to_memory(const std::string& url, std::uint64_t max_size,
                                        const std::optional<ExpectedChecksum>& expected_checksum) {
    DownloadRequest request;
    request.url = url;
    request.expected_checksum = expected_checksum;
    auto sink = std::make_unique<MemorySink>(max_size);
    MemorySink& bytes = *sink;
    std::vector<std::unique_ptr<Transfer>> transfers;
    transfers.push_back(std::make_unique<Transfer>(0, request, std::move(sink), options_));
    BatchRun(multi_.get(), *committer_, options_, transfers, {}, nullptr).run();
    const DownloadResult& result = transfers.front()->result();
    if (result.error) throw *result.error;
    return std::move(bytes.bytes());
}

}  // namespace chantal
