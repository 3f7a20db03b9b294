#include "core/download/download_transfer.h"

#include <algorithm>

#include "core/base/url.h"

namespace chantal {
namespace {

constexpr long kReceiveBufferBytes = 256 * 1024;
constexpr long kMaxRedirects = 10;

// Failures worth another attempt: the server or the path may recover.
bool is_transient(CURLcode code, long http_status) {
    switch (code) {
        case CURLE_HTTP_RETURNED_ERROR:
            return http_status >= 500 || http_status == 408 || http_status == 429;
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_PARTIAL_FILE:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return true;
        default:
            return false;
    }
}

bool is_not_found(CURLcode code, long http_status) {
    if (code == CURLE_HTTP_RETURNED_ERROR) return http_status == 404 || http_status == 410;
    return code == CURLE_FILE_COULDNT_READ_FILE || code == CURLE_REMOTE_FILE_NOT_FOUND;
}

template <typename Value>
void set_option(CURL* easy, CURLoption option, Value value) {
    CURLcode code = curl_easy_setopt(easy, option, value);
    if (code != CURLE_OK)
        throw Error::internal(std::string("cannot set a libcurl option: ") + curl_easy_strerror(code));
}

}  // namespace

Transfer::Transfer(std::size_t index, const DownloadRequest& request, std::unique_ptr<DownloadSink> sink,
                   const DownloadOptions& options)
    : options_(options),
      url_(request.url),
      shown_url_(redact_url(request.url)),
      scheme_(url_scheme(request.url)),
      expected_size_(request.expected_size),
      expected_checksum_(request.expected_checksum),
      sink_(std::move(sink)) {
    result_.index = index;
    result_.tag = request.tag;
}

bool Transfer::begin_attempt() {
    verifier_.emplace(expected_checksum_, expected_size_);
    callback_error_.reset();
    oversize_ = false;
    retry_after_seconds_ = 0;
    curl_error_[0] = '\0';

    std::uint64_t held = sink_->open();
    bool too_long = expected_size_ && held > *expected_size_;
    if (held > 0 && (start_from_zero_ || !range_allowed_ || too_long)) {
        sink_->truncate();
        held = 0;
    }
    start_from_zero_ = false;
    if (held > 0) sink_->read_existing([this](const void* data, std::size_t size) { verifier_->update(data, size); });
    resumed_from_ = held;
    if (expected_size_ && held == *expected_size_ && held > 0) return false;

    ++result_.requests;
    configure_easy();
    last_activity_ = std::chrono::steady_clock::now();
    return true;
}

void Transfer::configure_easy() {
    easy_ = make_curl_easy();
    CURL* easy = easy_.get();
    set_option(easy, CURLOPT_URL, url_.c_str());
    set_option(easy, CURLOPT_PRIVATE, static_cast<void*>(this));
    set_option(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
    set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(this));
    set_option(easy, CURLOPT_ERRORBUFFER, curl_error_);
    set_option(easy, CURLOPT_NOSIGNAL, 1L);
    set_option(easy, CURLOPT_FAILONERROR, 1L);
    set_option(easy, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
    set_option(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    set_option(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
    // "Stalled": less than 1 byte/s for stall_timeout seconds.
    set_option(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    set_option(easy, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(options_.stall_timeout.count())));
    set_option(easy, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(resumed_from_));

    // The request's own scheme family only, and no redirect that downgrades
    // or leaves it (an http feed must never lead to file://).
    if (scheme_ == "file") {
        set_option(easy, CURLOPT_PROTOCOLS_STR, "file");
        set_option(easy, CURLOPT_FOLLOWLOCATION, 0L);
        return;  // no network options apply
    }
    const char* allowed = scheme_ == "https" ? "https" : "http,https";
    set_option(easy, CURLOPT_PROTOCOLS_STR, allowed);
    set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, allowed);
    set_option(easy, CURLOPT_FOLLOWLOCATION, 1L);
    set_option(easy, CURLOPT_MAXREDIRS, kMaxRedirects);
    set_option(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    set_option(easy, CURLOPT_PIPEWAIT, 1L);

    const TlsOptions& tls = options_.tls;
    set_option(easy, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
    set_option(easy, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
    if (!tls.ca_bundle.empty()) set_option(easy, CURLOPT_CAINFO, tls.ca_bundle.c_str());
    if (!tls.client_cert.empty()) {
        set_option(easy, CURLOPT_SSLCERT, tls.client_cert.c_str());
        set_option(easy, CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (!tls.client_key.empty()) {
        set_option(easy, CURLOPT_SSLKEY, tls.client_key.c_str());
        set_option(easy, CURLOPT_SSLKEYTYPE, "PEM");
    }

    const ProxyOptions& proxy = options_.proxy;
    const std::string& proxy_url =
        scheme_ == "https" && !proxy.https_proxy.empty() ? proxy.https_proxy : proxy.http_proxy;
    if (!proxy_url.empty()) set_option(easy, CURLOPT_PROXY, proxy_url.c_str());
    if (!proxy.no_proxy.empty()) set_option(easy, CURLOPT_NOPROXY, proxy.no_proxy.c_str());

    if (!options_.username.empty()) {
        set_option(easy, CURLOPT_USERNAME, options_.username.c_str());
        set_option(easy, CURLOPT_PASSWORD, options_.password.c_str());
    }
    if (!options_.bearer_token.empty()) {
        set_option(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BEARER));
        set_option(easy, CURLOPT_XOAUTH2_BEARER, options_.bearer_token.c_str());
    }
    headers_.reset();
    for (const auto& header : options_.headers) {
        curl_slist* extended = curl_slist_append(headers_.get(), header.c_str());
        if (!extended) throw Error::internal("out of memory for request headers");
        (void)headers_.release();  // `extended` owns the list now (its head is unchanged or new)
        headers_.reset(extended);
    }
    if (headers_) set_option(easy, CURLOPT_HTTPHEADER, headers_.get());
}

std::size_t Transfer::on_body(char* data, std::size_t one, std::size_t size, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    size *= one;
    if (!transfer->verifier_->update(data, size)) {
        transfer->oversize_ = true;
        return 0;  // != size: libcurl aborts with CURLE_WRITE_ERROR
    }
    try {
        transfer->sink_->write(data, size);
    } catch (const Error& error) {
        transfer->callback_error_ = error;
        return 0;
    }
    transfer->result_.bytes_transferred += size;
    if (size > 0) transfer->last_activity_ = std::chrono::steady_clock::now();
    return size;
}

Transfer::Verdict Transfer::end_attempt(CURLcode code) {
    long status = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(easy_.get(), CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK)
        retry_after_seconds_ = static_cast<long>(retry_after);
    std::string curl_message = curl_error_[0] ? curl_error_ : curl_easy_strerror(code);
    easy_.reset();
    if (scheme_ != "file") result_.http_status = status;

    if (callback_error_) {
        sink_->close();
        return fail(Error(callback_error_->kind(), shown_url_ + ": " + callback_error_->what(),
                          callback_error_->system_errno()));
    }
    if (oversize_) {
        sink_->discard();
        if (may_restart_from_zero()) return restart_from_zero();
        return fail(Error::corrupt("size mismatch for " + shown_url_ + ": larger than the expected " +
                                   std::to_string(*expected_size_) + " bytes"));
    }
    // The server ignored our Range (answered 200), refused it (416: libcurl
    // reports that as success with no body when resuming), or a file:// source
    // is shorter than the partial: fetch the whole file again.
    bool range_failed = code == CURLE_RANGE_ERROR || code == CURLE_BAD_DOWNLOAD_RESUME || status == 416;
    if (code == CURLE_OK && !range_failed) return verify();
    if (range_failed && resumed_from_ > 0 && range_allowed_) {
        sink_->close();
        range_allowed_ = code != CURLE_RANGE_ERROR;  // a server that ignores Range: never again
        start_from_zero_ = true;
        return Verdict::retry_now;
    }

    bool http_error = code == CURLE_HTTP_RETURNED_ERROR || (code == CURLE_OK && status >= 400);
    std::string reason = http_error ? "HTTP " + std::to_string(status) : redact_urls_in_text(curl_message);
    if (code == CURLE_UNSUPPORTED_PROTOCOL) reason = "scheme refused (" + reason + ")";
    if (is_transient(code, status)) return transient_failure(reason);
    sink_->discard();
    std::string message = "cannot download " + shown_url_ + ": " + reason;
    return fail(is_not_found(code, status) ? Error::not_found(message) : Error::network(message));
}

Transfer::Verdict Transfer::end_local_attempt() { return verify(); }

bool Transfer::stalled(std::chrono::steady_clock::time_point now) const noexcept {
    return easy_ && now - last_activity_ >= options_.stall_timeout;
}

Transfer::Verdict Transfer::end_stalled() {
    easy_.reset();
    return transient_failure("stalled: no data for " + std::to_string(options_.stall_timeout.count()) + " s");
}

Transfer::Verdict Transfer::transient_failure(const std::string& reason) {
    sink_->close();  // keep the bytes: the next attempt resumes after them
    if (result_.requests <= options_.retry_attempts) return Verdict::retry_later;
    std::string attempts = std::to_string(result_.requests) + (result_.requests == 1 ? " attempt" : " attempts");
    return fail(Error::network("cannot download " + shown_url_ + ": " + reason + " (after " + attempts + ")"));
}

Transfer::Verdict Transfer::verify() {
    StreamVerifier::Outcome outcome = verifier_->finish();
    if (!outcome.problem.empty()) {
        sink_->discard();
        // Old partial bytes may be from an earlier upstream version.
        if (may_restart_from_zero()) return restart_from_zero();
        return fail(Error::corrupt(outcome.problem + " for " + shown_url_ + ": " + outcome.detail));
    }
    result_.sha256 = std::move(outcome.sha256);
    result_.size = verifier_->size();
    return Verdict::verified;
}

Transfer::Verdict Transfer::end_commit(std::optional<Error> commit_error) {
    if (commit_error) {
        result_.sha256.clear();
        result_.size = 0;
        return fail(std::move(*commit_error));
    }
    finished_ = true;
    return Verdict::succeeded;
}

Transfer::Verdict Transfer::restart_from_zero() {
    restarted_from_zero_ = true;
    start_from_zero_ = true;
    return Verdict::retry_now;
}

Transfer::Verdict Transfer::fail(Error error) {
    result_.error = std::move(error);
    finished_ = true;
    return Verdict::failed;
}

void Transfer::cancel() {
    abandon(Error::network("download of " + shown_url_ + " cancelled"));
    result_.cancelled = true;
}

void Transfer::abandon(Error error) {
    easy_.reset();
    sink_->close();
    fail(std::move(error));
}

std::chrono::milliseconds Transfer::backoff() const {
    using std::chrono::milliseconds;
    unsigned doublings = std::min(result_.requests > 0 ? result_.requests - 1 : 0u, 20u);
    milliseconds delay = options_.retry_base_delay * (milliseconds::rep{1} << doublings);
    milliseconds server(static_cast<milliseconds::rep>(retry_after_seconds_) * 1000);
    delay = std::min(options_.retry_max_delay, delay);
    server = std::min(options_.retry_max_delay, server);
    return std::max(delay, server);
}

std::uint64_t Transfer::bytes_held() const noexcept { return verifier_ ? verifier_->size() : 0; }

}  // namespace chantal
