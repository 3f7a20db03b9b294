#include "cli/context.h"

#include "core/base/error.h"

namespace chantal::cli {

Console& AppContext::console() {
    if (!console_) {
        Verbosity verbosity = options_.quiet ? Verbosity::quiet : options_.verbose ? Verbosity::verbose : Verbosity::normal;
        console_ = std::make_unique<Console>(options_.format == "json" ? OutputFormat::json : OutputFormat::table,
                                             verbosity);
    }
    return *console_;
}

const Config& AppContext::config() {
    if (!config_) {
        config_ = load_config(discover_config_file(options_.config_file));
        for (const auto& warning : config_->warnings) console().warning(warning);
    }
    return *config_;
}

Catalogue& AppContext::catalogue() {
    if (!catalogue_) catalogue_ = Catalogue::open(config().database_path, Catalogue::Mode::read_write);
    return *catalogue_;
}

Catalogue* AppContext::catalogue_if_exists() {
    if (!catalogue_ && !std::filesystem::exists(config().database_path)) return nullptr;
    return &catalogue();
}

Pool& AppContext::pool() {
    if (!pool_) pool_.emplace(config().storage.pool_path, config().storage.temp_path);
    return *pool_;
}

TreeSigningKeys& AppContext::signing_keys() {
    if (!signing_keys_)
        signing_keys_ = std::make_unique<TreeSigningKeys>(
            config(), [this](const std::string& fingerprint, const std::string& gnupg_home) {
                console().summary("generated the signing key " + fingerprint + " in " + gnupg_home +
                                  "; back up this directory: it is the only copy of the secret key");
            });
    return *signing_keys_;
}

}  // namespace chantal::cli
