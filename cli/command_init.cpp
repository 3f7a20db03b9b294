// chantal init: storage directories and the catalogue. Idempotent.
#include "cli/commands.h"
#include "core/base/file_util.h"

namespace chantal::cli {

void register_init_command(CLI::App& app, AppContext& context) {
    auto* init = app.add_subcommand("init", "Create storage directories and the catalogue (safe to repeat)");
    init->callback([&context] {
        const Config& config = context.config();
        for (const auto& directory : {config.storage.base_path, config.storage.pool_path, config.storage.temp_path,
                                      config.database_path.parent_path()})
            chantal::create_directories(directory);
        const bool existed = std::filesystem::exists(config.database_path);
        Catalogue catalogue = Catalogue::open(config.database_path, Catalogue::Mode::create);
        const int version = catalogue.schema_version();
        if (context.console().json()) {
            context.console().print_json({{"catalogue", config.database_path.string()},
                                          {"created", !existed},
                                          {"schema_version", version},
                                          {"pool_path", config.storage.pool_path.string()},
                                          {"temp_path", config.storage.temp_path.string()}});
            return;
        }
        context.console().summary(std::string(existed ? "catalogue ready: " : "created catalogue: ") +
                                  config.database_path.string() + " (schema version " + std::to_string(version) + ")");
        context.console().summary("pool: " + config.storage.pool_path.string());
    });
}

}  // namespace chantal::cli
