// RAII owners for libcurl handles, and the one-time libcurl global init.
//
// Each owner is a std::unique_ptr with a deleter that calls the matching
// libcurl cleanup function; moving transfers ownership. An easy handle must
// be removed from its multi handle before it is destroyed (the download
// engine does this); destroying a multi handle does not free its easy handles.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace chantal {

struct CurlEasyDeleter {
    void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct CurlMultiDeleter {
    void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// Calls curl_global_init(CURL_GLOBAL_DEFAULT) exactly once per process,
// thread-safe (std::call_once). Throws Error::internal if libcurl fails to
// initialise. Called by make_curl_easy/make_curl_multi; call it yourself
// before using libcurl directly. Never calls curl_global_cleanup (the process
// exit releases everything, and other threads may still use libcurl).
void ensure_curl_initialized();

// New handles; throw Error::internal when libcurl cannot allocate one.
CurlEasy make_curl_easy();
CurlMulti make_curl_multi();

}  // namespace chantal
