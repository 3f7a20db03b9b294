// Transfer: one request's way through its attempts. Internal to the
// download engine (core/download/download.cpp drives it); not thread-safe, lives on
// the engine's thread.
//
// An attempt: begin_attempt() opens the sink and hashes the bytes it already
// holds; if the file is already complete no request is needed and
// end_local_attempt() verifies it. Otherwise easy() is added to the multi
// handle, bytes stream through the verifier into the sink, and end_attempt()
// judges the outcome once libcurl reports the transfer done.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/download/download.h"
#include "core/download/download_sink.h"

namespace chantal {

class Transfer {
public:
    Transfer(std::size_t index, const DownloadRequest& request, std::unique_ptr<DownloadSink> sink,
             const DownloadOptions& options);
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    enum class Verdict {
        verified,     // size and checksum match: commit sink() (fsync), then call end_commit()
        succeeded,    // result() holds the verified, committed file
        failed,       // result() holds the error
        retry_later,  // transient failure: try again after backoff()
        retry_now,    // restart at once (from zero, e.g. the server ignored Range)
    };

    // Starts an attempt. Returns true when a request must be sent (easy() is
    // then configured), false when the sink already holds the complete file
    // (call end_local_attempt()). Throws Error (io) when the sink cannot be opened.
    bool begin_attempt();
    CURL* easy() const noexcept { return easy_.get(); }
    // libcurl finished the request (easy() already removed from the multi
    // handle); the easy handle is released.
    Verdict end_attempt(CURLcode code);
    Verdict end_local_attempt();
    // After Verdict::verified: the sink's commit finished (error set if it failed).
    Verdict end_commit(std::optional<Error> commit_error);
    DownloadSink& sink() noexcept { return *sink_; }
    // True when the running attempt has received no byte for stall_timeout
    // (libcurl's own low-speed check averages over seconds, so the engine
    // checks this itself every poll). Then remove easy() from the multi
    // handle and call end_stalled().
    bool stalled(std::chrono::steady_clock::time_point now) const noexcept;
    Verdict end_stalled();
    // Stops the transfer for good (cancellation); keeps the bytes for a
    // later resume. Harmless on a transfer that never started.
    void cancel();
    // Ends the transfer with an error raised outside libcurl (e.g. the
    // partial file cannot be opened); keeps the bytes.
    void abandon(Error error);
    // True once the result is final (succeeded, failed or cancelled).
    bool finished() const noexcept { return finished_; }

    // Delay before the next attempt: base * 2^(requests-1), capped, but at
    // least the server's Retry-After (also capped).
    std::chrono::milliseconds backoff() const;
    // The expected size in bytes, 0 when unknown (for progress).
    std::uint64_t expected_size() const noexcept { return expected_size_.value_or(0); }
    // Bytes the sink holds now (for progress).
    std::uint64_t bytes_held() const noexcept;
    std::uint64_t bytes_transferred() const noexcept { return result_.bytes_transferred; }
    const DownloadResult& result() const noexcept { return result_; }
    DownloadResult take_result() { return std::move(result_); }

private:
    static std::size_t on_body(char* data, std::size_t one, std::size_t size, void* self);
    void configure_easy();
    Verdict verify();
    Verdict transient_failure(const std::string& reason);
    Verdict fail(Error error);
    // A failure that may be cured by fetching the whole file again, once.
    bool may_restart_from_zero() const noexcept { return resumed_from_ > 0 && !restarted_from_zero_; }
    Verdict restart_from_zero();

    const DownloadOptions& options_;
    std::string url_;           // with credentials: only ever given to libcurl
    std::string shown_url_;     // redacted, for messages
    std::string scheme_;
    std::optional<std::uint64_t> expected_size_;
    std::optional<ExpectedChecksum> expected_checksum_;
    std::unique_ptr<DownloadSink> sink_;
    std::optional<StreamVerifier> verifier_;
    CurlSlist headers_;  // DownloadOptions::headers of the running attempt; outlives easy_
    CurlEasy easy_;
    char curl_error_[CURL_ERROR_SIZE] = {};
    std::optional<Error> callback_error_;  // thrown inside on_body (disk, memory cap)
    bool oversize_ = false;                // more bytes arrived than expected
    bool range_allowed_ = true;            // false once the server ignored or refused Range
    bool start_from_zero_ = false;         // next attempt truncates the sink first
    bool restarted_from_zero_ = false;
    std::uint64_t resumed_from_ = 0;       // bytes held when the current attempt began
    long retry_after_seconds_ = 0;
    std::chrono::steady_clock::time_point last_activity_{};  // attempt start or last body byte
    bool finished_ = false;
    DownloadResult result_;
};

}  // namespace chantal
