// chantal: the management CLI. Parses global options, hands the one
// AppContext to the command groups, and turns failures into one
// "error: ..." line and an exit code (0 ok, 1 failure, 2 usage).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "core/base/error.h"

int main(int argc, char** argv) {
    using namespace chantal::cli;
    GlobalOptions options;
    AppContext context(options);

    CLI::App app{"Chantal: RPM repository mirror with snapshots, views and a read-only FUSE tree", "chantal"};
    app.set_version_flag("--version", std::string("chantal ") + CHANTAL_VERSION);
    app.option_defaults()->always_capture_default();
    app.add_option("-c,--config", options.config_file, "Config file (default: $CHANTAL_CONFIG, /etc/chantal/config.yaml, "
                                                       "~/.config/chantal/config.yaml, ./config.yaml)");
    app.add_option("--format", options.format, "Output format")->check(CLI::IsMember({"table", "json"}));
    auto* verbose = app.add_flag("-v,--verbose", options.verbose, "More detail on stderr");
    app.add_flag("-q,--quiet", options.quiet, "Only errors on stderr")->excludes(verbose);
    app.require_subcommand(1);
    app.fallthrough();

    register_init_command(app, context);
    register_repo_commands(app, context);
    register_errata_commands(app, context);
    register_snapshot_commands(app, context);
    register_view_commands(app, context);
    register_package_commands(app, context);
    register_db_commands(app, context);
    register_pool_commands(app, context);
    register_export_commands(app, context);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : 2;
    } catch (const chantal::Error& error) {
        context.console().error(error.what());
        if (!error.detail().empty()) context.console().detail("detail: " + error.detail());
        return 1;
    } catch (const std::exception& error) {
        context.console().error(std::string("unexpected failure: ") + error.what());
        return 1;
    }
    return context.exit_code;
}
