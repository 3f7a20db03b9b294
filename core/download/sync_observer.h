// How a sync reports progress to whoever runs it (the CLI draws a bar on a
// terminal, prints one line per stage in a pipe). stage() and warning() are
// called on the syncing thread. download_progress() is called while that
// thread waits in Downloader::download(), on it or on one of the download's
// engine threads, never two calls at once (see ProgressCallback).
#pragma once

#include <string>

#include "core/download/download.h"

namespace chantal {

class SyncObserver {
public:
    virtual ~SyncObserver() = default;
    virtual void stage(const std::string& /*repo_id*/, const std::string& /*text*/) {}
    virtual void download_progress(const std::string& /*repo_id*/, const DownloadProgress& /*progress*/) {}
    virtual void warning(const std::string& /*repo_id*/, const std::string& /*text*/) {}
};

}  // namespace chantal
