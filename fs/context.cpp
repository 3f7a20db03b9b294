#include "fs/context.h"

#include "core/base/file_util.h"
#include "fs/log.h"

namespace chantal::fs {

Context::Context(const Config& config_, const Options& options_)
    : config(config_),
      options(options_),
      pool(config.storage.pool_path, config.storage.temp_path),
      connections(config.database_path, std::chrono::seconds(options.catalogue_wait_seconds)),
      generator(config.database_path, pool, std::chrono::seconds(options.catalogue_wait_seconds)),
      signing_keys(config,
                   [](const std::string& fingerprint, const std::string& gnupg_home) {
                       log_line("generated the signing key " + fingerprint + " in " + gnupg_home);
                   }),
      trees(std::chrono::seconds(options.grace_seconds), &signing_keys),
      mount_time(unix_time_now()) {}

}  // namespace chantal::fs
