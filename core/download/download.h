// The download engine: fetches a batch of files in parallel over one libcurl
// multi handle (connection reuse, HTTP/2 multiplexing where offered) and
// hands back verified files.
//
// Every transfer streams through a StreamVerifier (sha256 always, plus
// upstream's algorithm, one pass) into a DownloadSink (a partial file, or
// memory for small metadata). A partial file left by an interrupted run is
// hashed and continued with an HTTP Range request. Transient failures (5xx,
// 408, 429, resets, a body cut short, no byte for `stall_timeout`) are retried
// with exponential backoff, resuming where the bytes stopped; 4xx fail at once.
// Messages name the URL without credentials (see redact_url).
//
// Supported URL schemes: http, https, file. A redirect may go http -> http or
// https, https -> https only; file:// never redirects.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/download/download_curl.h"
#include "core/download/download_options.h"
#include "core/download/download_verifier.h"

namespace chantal {

class BackgroundCommitter;
class Transfer;

struct DownloadRequest {
    // Absolute http://, https:// or file:// URL, already percent-escaped
    // (build it with join_url). May carry user:password@; never printed.
    std::string url;
    // The partial file: created if missing, resumed if present. Its parent
    // directory must exist (same file system as the pool, so the caller can
    // rename it into place). On success it holds the verified bytes, fsynced
    // unless DownloadOptions::fsync_files is false.
    std::filesystem::path destination;
    std::optional<std::uint64_t> expected_size;        // bytes
    std::optional<ExpectedChecksum> expected_checksum;  // upstream's checksum
    std::uint64_t tag = 0;                              // opaque, copied to the result
    // Optional: called with `destination` once the file is complete and
    // verified, on one of the helper threads (so a check of the whole file,
    // like a package signature, overlaps the transfers still running). It
    // must be thread-safe and must not throw; it cannot fail the download:
    // what it finds is the caller's to act on after download() returns.
    std::function<void(const std::filesystem::path& file)> inspect_file;
};

struct DownloadResult {
    std::size_t index = 0;  // position of the request in the batch
    std::uint64_t tag = 0;  // the request's tag
    // Set when the file could not be fetched and verified. Kinds: not_found
    // (HTTP 404/410, missing file:// path), network (other HTTP errors,
    // transfer failures after the retries, cancellation), corrupt (size or
    // checksum mismatch; the partial file is deleted), io (local disk).
    std::optional<Error> error;
    bool cancelled = false;               // stopped by the cancel flag (error is set too)
    std::string sha256;                   // lowercase hex of the whole file (on success)
    std::uint64_t size = 0;               // bytes in the file (on success)
    std::uint64_t bytes_transferred = 0;  // body bytes received over all attempts of this call
    unsigned requests = 0;                // requests sent (0 when a complete partial was only verified)
    long http_status = 0;                 // last HTTP status seen, 0 for file:// or no response

    bool ok() const noexcept { return !error; }
};

struct DownloadProgress {
    std::size_t files_done = 0;           // finished, successfully or not
    std::size_t files_failed = 0;
    std::size_t files_total = 0;
    std::uint64_t bytes_done = 0;         // bytes held by finished and running transfers
    std::uint64_t bytes_total = 0;        // sum of expected sizes (unknown sizes count 0)
    std::uint64_t bytes_transferred = 0;  // body bytes received so far in this call
};

// Called on one of the download's engine threads (the one that runs
// Downloader::download() or a helper), never concurrently with itself: after
// each finished file and at most every 100 ms while bytes flow, and at the
// end. Keep it short (it delays the transfers); it must not call back into
// the same Downloader. Exceptions it throws propagate out of download()
// (running transfers are stopped, partial files kept).
using ProgressCallback = std::function<void(const DownloadProgress&)>;

// Not thread-safe: use one Downloader from one thread at a time (make one per
// thread, or per repo when TLS options differ). It keeps its connections
// between calls, so fetching repomd.xml, then metadata, then packages from one
// host reuses them.
//
// Engines: the transfers of a batch are shared out among network loops, as
// many as the cores, at most four and at most options().parallel (or
// options().engines). Each has its own multi handle and its share of the
// parallel transfers; the calling thread runs the first, threads started per
// batch the others (a single file uses one loop). Each loop receives, hashes
// and writes the bytes of its transfers, so a fast link is not limited by
// what one core can copy and hash (measured on 2 cores: a 1000-package sync
// 20% faster with two loops than with one). Each engine also owns 2..8
// helper threads that only fsync finished files (BackgroundCommitter) and
// run their inspect_file, so the network loops never wait for the disk or a
// file check.
class Downloader {
public:
    explicit Downloader(DownloadOptions options);
    ~Downloader();
    Downloader(const Downloader&) = delete;
    Downloader& operator=(const Downloader&) = delete;

    const DownloadOptions& options() const noexcept { return options_; }

    // Fetches every request, options().parallel at a time, and returns one
    // result per request in request order. Per-file failures are reported in
    // the results, not thrown. When *cancel becomes true (checked at least
    // every 100 ms; it may be set from any thread or a signal handler) the
    // running transfers stop, their partial files are kept for a resume, and
    // every unfinished request gets cancelled = true.
    // Two requests must not share a destination.
    std::vector<DownloadResult> download(const std::vector<DownloadRequest>& requests,
                                         const ProgressCallback& progress = {},
                                         const std::atomic<bool>* cancel = nullptr);

    // One file (metadata: primary.xml.gz etc.), same rules; throws the
    // result's error on failure.
    DownloadResult fetch_to_file(const DownloadRequest& request);

    // A small file (repomd.xml, its .asc) into memory, refusing more than
    // max_size bytes (Error::invalid_input). Same retries and TLS settings.
    // Throws Error (not_found for 404/410 or a missing file:// path, so the
    // caller can treat an absent optional file as absent).
    std::string fetch_to_memory(const std::string& url, std::uint64_t max_size,
                                const std::optional<ExpectedChecksum>& expected_checksum = std::nullopt);
    // The same for a file upstream may not publish: nullopt when it is
    // absent (not_found); every other failure throws.
    std::optional<std::string> fetch_if_present(const std::string& url, std::uint64_t max_size);

private:
    static constexpr unsigned kMaxEngines = 4;

    // One network loop: a libcurl multi handle (its connections are kept
    // between calls), its share of the parallel transfers, and the threads
    // that commit its files.
    struct Engine {
        CurlMulti multi;
        unsigned parallel;
        std::unique_ptr<BackgroundCommitter> committer;  // declared after multi: joined before it is freed
    };

    // Runs the transfers on the engines (one per transfer at most) and
    // returns when every one has finished; rethrows what an engine threw.
    void run_batch(std::vector<std::unique_ptr<Transfer>>& transfers, const ProgressCallback& progress,
                   const std::atomic<bool>* cancel);

    DownloadOptions options_;
    std::vector<Engine> engines_;
};

}  // namespace chantal
