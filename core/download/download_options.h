// DownloadOptions: how the download engine talks to the network. The caller
// fills it from the configuration (download:, ssl:, proxy:, a repo's own
// ssl: block) and the command line (--workers). Plain value type.
//
// Secrets (password, proxy URLs with credentials, key file paths' contents)
// are handed to libcurl only; the engine never prints or logs them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace chantal {

struct TlsOptions {
    bool verify = true;          // verify the peer certificate and host name
    std::string ca_bundle;       // PEM file of trusted CAs; "" = system default
    std::string client_cert;     // PEM client certificate (e.g. RHEL entitlement cert); "" = none
    std::string client_key;      // PEM private key for client_cert; "" = key inside client_cert
};

struct ProxyOptions {
    std::string http_proxy;      // proxy for http:// URLs; "" = libcurl default (http_proxy env)
    std::string https_proxy;     // proxy for https:// URLs; "" = http_proxy if set, else env
    std::string no_proxy;        // comma-separated hosts that bypass the proxy
};

struct DownloadOptions {
    unsigned parallel = 8;                            // concurrent transfers (download.parallel, --workers), >= 1
    unsigned engines = 0;  // network loops sharing them (Downloader); 0: min(parallel, cores, 4)
    std::chrono::seconds stall_timeout{60};           // download.timeout: abort+retry after this long without a byte
    std::chrono::seconds connect_timeout{30};         // TCP + TLS handshake limit per attempt
    unsigned retry_attempts = 3;                      // retries after the first attempt (4 tries in all)
    std::chrono::milliseconds retry_base_delay{500};  // backoff: base, 2*base, 4*base, ... (tests use ~10 ms)
    std::chrono::milliseconds retry_max_delay{30000}; // backoff cap (also caps a server's Retry-After)
    TlsOptions tls;
    ProxyOptions proxy;
    std::string username;  // HTTP basic auth; "" = none (user:pass@ in the URL works too)
    std::string password;
    std::string bearer_token;          // "Authorization: Bearer ..."; "" = none (a secret)
    std::vector<std::string> headers;  // extra request headers, "Name: value" (values are secrets)
    std::string user_agent = "chantal/" CHANTAL_VERSION;
    // true: each finished file is fsynced before its result is reported.
    // false: the caller makes a batch durable itself (one syncfs() is far
    // cheaper than an fsync per file) before moving the files into place.
    bool fsync_files = true;
};

}  // namespace chantal
