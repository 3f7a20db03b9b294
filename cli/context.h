// AppContext: the one object a command works with (no globals). Config,
// catalogue and pool are opened lazily, on first use, after CLI11 has parsed
// the global options.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/output.h"
#include "core/catalogue/catalogue.h"
#include "core/config/config.h"
#include "core/pool/pool.h"
#include "core/signing/tree_signing_keys.h"

namespace chantal::cli {

struct GlobalOptions {
    std::optional<std::filesystem::path> config_file;
    std::string format = "table";
    bool verbose = false;
    bool quiet = false;
};

class AppContext {
public:
    explicit AppContext(const GlobalOptions& options) : options_(options) {}

    Console& console();
    // Discovers and loads the config; prints its warnings once.
    const Config& config();
    // Opens the catalogue read-write (migrating it); it must exist (init).
    Catalogue& catalogue();
    // The catalogue if it exists, else nullptr (for read-only reports that
    // make sense before `init`).
    Catalogue* catalogue_if_exists();
    Pool& pool();
    // The keys that sign generated trees (export, publish); a key made by
    // generate_key is announced once on the console with its fingerprint.
    TreeSigningKeys& signing_keys();

    // Commands that finish but had failures (sync --all) set this to 1.
    int exit_code = 0;

private:
    const GlobalOptions& options_;
    std::unique_ptr<Console> console_;
    std::optional<Config> config_;
    std::optional<Catalogue> catalogue_;
    std::optional<Pool> pool_;
    std::unique_ptr<TreeSigningKeys> signing_keys_;
};

}  // namespace chantal::cli
