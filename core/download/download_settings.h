// Builds the download engine's options for one repository from the config:
// download:, the global ssl:/proxy: sections, and the repo's own ssl:,
// proxy: and auth: overrides. --workers overrides download.parallel.
#pragma once

#include <optional>

#include "core/config/config.h"
#include "core/download/download_options.h"

namespace chantal {

DownloadOptions download_options_for(const Config& config, const RepositoryConfig& repository,
                                     std::optional<unsigned> workers = std::nullopt);

}  // namespace chantal
