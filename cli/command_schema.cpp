// chantal schema: prints the JSON Schema (draft 2020-12) of the config
// file on standard output, generated from the key tables the loader reads
// (core/config/config_schema.h). It reads no config file and touches no
// storage, so editors and CI can fetch it anywhere.
#include <iostream>

#include "cli/commands.h"
#include "core/config/config_schema.h"

namespace chantal::cli {

void register_schema_command(CLI::App& app) {
    auto* schema = app.add_subcommand(
        "schema", "Print the JSON Schema (draft 2020-12) of the config file, from the tables the loader reads");
    schema->callback([] { std::cout << config_json_schema().dump(2) << '\n'; });
}

}  // namespace chantal::cli
