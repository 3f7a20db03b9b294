#include "core/download/download.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include "core/download/download_batch.h"
#include "core/download/download_committer.h"
#include "core/download/download_sink.h"
#include "core/download/download_transfer.h"

namespace chantal {
namespace {

void set_multi_option(CURLM* multi, CURLMoption option, long value) {
    CURLMcode code = curl_multi_setopt(multi, option, value);
    if (code != CURLM_OK)
        throw Error::internal(std::string("cannot set a libcurl multi option: ") + curl_multi_strerror(code));
}

std::vector<DownloadResult> take_results(std::vector<std::unique_ptr<Transfer>>& transfers) {
    std::vector<DownloadResult> results;
    results.reserve(transfers.size());
    for (auto& transfer : transfers) results.push_back(transfer->take_result());
    return results;
}

}  // namespace

Downloader::Downloader(DownloadOptions options) : options_(std::move(options)) {
    if (options_.parallel == 0) options_.parallel = 1;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned engines =
        std::min(options_.parallel, options_.engines > 0 ? options_.engines : std::min(cores, kMaxEngines));
    engines_.reserve(engines);
    for (unsigned index = 0; index < engines; ++index) {
        // The transfers are shared out as evenly as they go (8 on 3 engines: 3, 3, 2).
        const unsigned parallel = options_.parallel / engines + (index < options_.parallel % engines ? 1 : 0);
        Engine& engine = engines_.emplace_back(Engine{make_curl_multi(), parallel, nullptr});
        CURLM* multi = engine.multi.get();
        set_multi_option(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        set_multi_option(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(parallel));
        set_multi_option(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(parallel));
        set_multi_option(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(parallel));
        engine.committer = std::make_unique<BackgroundCommitter>(std::clamp(parallel, 2u, 8u),
                                                                 [multi] { curl_multi_wakeup(multi); });
    }
}

Downloader::~Downloader() = default;

void Downloader::run_batch(std::vector<std::unique_ptr<Transfer>>& transfers, const ProgressCallback& progress,
                           const std::atomic<bool>* cancel) {
    std::vector<BatchEngine> engines;
    const std::size_t count = std::min(engines_.size(), std::max<std::size_t>(1, transfers.size()));
    for (std::size_t index = 0; index < count; ++index)
        engines.push_back({engines_[index].multi.get(), engines_[index].committer.get(), engines_[index].parallel});
    run_transfer_batch(engines, transfers, progress, cancel);
}

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
    run_batch(transfers, progress, cancel);
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
    run_batch(transfers, {}, nullptr);
    const DownloadResult& result = transfers.front()->result();
    if (result.error) throw *result.error;
    return std::move(bytes.bytes());
}

}  // namespace chantal
