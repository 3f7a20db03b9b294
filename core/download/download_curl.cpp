#include "core/download/download_curl.h"

#include <mutex>
#include <string>

#include "core/base/error.h"

namespace chantal {

void ensure_curl_initialized() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK)
        throw Error::internal(std::string("cannot initialise libcurl: ") + curl_easy_strerror(result));
}

CurlEasy make_curl_easy() {
    ensure_curl_initialized();
    CurlEasy handle(curl_easy_init());
    if (!handle) throw Error::internal("curl_easy_init failed");
    return handle;
}

CurlMulti make_curl_multi() {
    ensure_curl_initialized();
    CurlMulti handle(curl_multi_init());
    if (!handle) throw Error::internal("curl_multi_init failed");
    return handle;
}

}  // namespace chantal
