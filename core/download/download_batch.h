// One batch of downloads run to completion on a Downloader's engines (see
// Downloader in download.h): each engine is a network loop that claims the
// batch's transfers one at a time while it has fewer than its share in
// flight, retries them after their backoff and hands finished files to its
// own committer.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <memory>
#include <span>
#include <vector>

#include "core/download/download.h"

namespace chantal {

class BackgroundCommitter;
class Transfer;

// One network loop's part in a batch. Nothing here is owned.
struct BatchEngine {
    CURLM* multi;
    BackgroundCommitter* committer;  // this engine's own: take_finished() returns its commits only
    unsigned parallel;               // transfers in flight at most
};

// Runs every transfer to its end (verified and committed, failed, or
// cancelled when *cancel becomes true): the first engine on the calling
// thread, each other one on a thread started here. Returns when every
// engine has finished; when one throws (a libcurl failure, or the progress
// callback), the others stop as if cancelled, and the first exception is
// rethrown once all have stopped. `engines` must not be empty.
void run_transfer_batch(std::span<const BatchEngine> engines, std::vector<std::unique_ptr<Transfer>>& transfers,
                        const ProgressCallback& progress, const std::atomic<bool>* cancel);

}  // namespace chantal
