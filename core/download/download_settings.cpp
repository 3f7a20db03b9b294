#include "core/download/download_settings.h"

#include <curl/curl.h>

#include <memory>

#include "core/download/entitlement_certificate.h"

namespace chantal {
namespace {

// "http://proxy:3128" + user/password -> "http://user:password@proxy:3128",
// escaping both (libcurl reads credentials from the proxy URL).
std::string proxy_with_credentials(const std::string& proxy, const ProxySettings& settings) {
    if (proxy.empty() || settings.username.empty()) return proxy;
    auto escape = [](const std::string& text) {
        std::unique_ptr<char, decltype(&curl_free)> escaped(curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size())),
                                                            &curl_free);
        return std::string(escaped ? escaped.get() : "");
    };
    const std::string credentials = escape(settings.username) + ":" + escape(settings.password) + "@";
    const auto scheme_end = proxy.find("://");
    if (scheme_end == std::string::npos) return credentials + proxy;
    return proxy.substr(0, scheme_end + 3) + credentials + proxy.substr(scheme_end + 3);
}

}  // namespace

DownloadOptions download_options_for(const Config& config, const RepositoryConfig& repository,
                                     std::optional<unsigned> workers) {
    DownloadOptions options;
    options.parallel = workers.value_or(static_cast<unsigned>(config.download.parallel));
    if (options.parallel == 0) options.parallel = 1;
    options.stall_timeout = std::chrono::seconds(config.download.timeout_seconds);
    options.retry_attempts = static_cast<unsigned>(config.download.retry_attempts);
    options.fsync_files = false;  // the sync makes each batch durable with one syncfs (package_fetch.cpp)

    const TlsSettings tls = config.tls.merged_with(repository.tls);
    options.tls.verify = tls.verify.value_or(true);
    if (tls.ca_bundle) options.tls.ca_bundle = tls.ca_bundle->string();
    if (tls.client_cert) options.tls.client_cert = tls.client_cert->string();
    if (tls.client_key) options.tls.client_key = tls.client_key->string();
    if (tls.client_cert_dir) {
        const EntitlementPair pair = pick_entitlement_pair(*tls.client_cert_dir);
        options.tls.client_cert = pair.certificate.string();
        options.tls.client_key = pair.key.string();
    }

    const ProxySettings& proxy = repository.proxy ? *repository.proxy : config.proxy;
    options.proxy.http_proxy = proxy_with_credentials(proxy.http_proxy, proxy);
    options.proxy.https_proxy = proxy_with_credentials(proxy.https_proxy, proxy);
    options.proxy.no_proxy = proxy.no_proxy;

    if (repository.basic_auth) {
        options.username = repository.basic_auth->username;
        options.password = repository.basic_auth->password;
    }
    if (repository.bearer_token) options.bearer_token = *repository.bearer_token;
    for (const HttpHeader& header : repository.headers) options.headers.push_back(header.name + ": " + header.value);
    return options;
}

}  // namespace chantal
