// One function per command group; each adds its subcommands to the app.
// Callbacks run after parsing and throw chantal::Error on failure.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace chantal::cli {

void register_init_command(CLI::App& app, AppContext& context);
void register_repo_commands(CLI::App& app, AppContext& context);      // command_repo.cpp
void register_snapshot_commands(CLI::App& app, AppContext& context);  // command_snapshot.cpp
void register_view_commands(CLI::App& app, AppContext& context);      // command_view.cpp
void register_package_commands(CLI::App& app, AppContext& context);   // command_package.cpp
void register_repo_sync_commands(CLI::App* repo, AppContext& context);  // command_repo_sync.cpp
void register_errata_commands(CLI::App& app, AppContext& context);     // command_errata.cpp
void register_db_commands(CLI::App& app, AppContext& context);        // command_db.cpp
void register_pool_commands(CLI::App& app, AppContext& context);      // command_pool.cpp
void register_export_commands(CLI::App& app, AppContext& context);    // command_export.cpp (export, publish)
void register_setup_commands(CLI::App& app, AppContext& context);     // command_setup.cpp (config check, completion, manual)
void register_schema_command(CLI::App& app);                          // command_schema.cpp
// Further groups add their declaration here and one call in main.cpp:
// snapshot, view, package, errata, publish/export, db, pool.

}  // namespace chantal::cli
