// chantal: the management CLI. Parses global options, hands the one
// AppContext to the command groups, and turns failures into one
// "error: ..." line on stderr (and, with --format json, a JSON object with
// an "error" field on stdout unless the command printed its own result) and
// an exit status (exit_status.h).
#include <CLI/CLI.hpp>

#include <cstring>
#include <iostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/exit_status.h"
#include "cli/unknown_command.h"
#include "core/base/error.h"

namespace {

using namespace chantal::cli;

// --format json also when the parse failed before CLI11 stored it.
bool asks_for_json(const GlobalOptions& options, int argc, char** argv) {
    if (options.format == "json") return true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--format=json") == 0) return true;
        if (std::strcmp(argv[i], "--format") == 0 && i + 1 < argc && std::strcmp(argv[i + 1], "json") == 0) return true;
    }
    return false;
}

// The failure as the command's result, for scripts: only when the command
// has not printed a result of its own (sync --all prints one per repo).
void print_failure_json(AppContext& context, bool json, const std::string& message, ExitStatus status) {
    if (!json || context.console().printed_result()) return;
    context.console().print_json({{"status", exit_status_name(status)},
                                  {"error", message},
                                  {"exit_status", static_cast<int>(status)}});
}

}  // namespace

int main(int argc, char** argv) {
    GlobalOptions options;
    AppContext context(options);

    CLI::App app{"Chantal: RPM repository mirror with snapshots, views and a read-only FUSE tree", "chantal"};
    app.set_version_flag("--version", std::string("chantal ") + CHANTAL_VERSION);
    app.option_defaults()->always_capture_default();
    app.add_option("-c,--config", options.config_file, "Config file (default: $CHANTAL_CONFIG, /etc/chantal/config.yaml, "
                                                       "~/.config/chantal/config.yaml, ./config.yaml)");
    app.add_option("--format", options.format, "Output format")->check(CLI::IsMember({"table", "json"}));
    auto* verbose = app.add_flag("-v,--verbose", options.verbose, "More detail on stderr: each stage with its time");
    app.add_flag("-q,--quiet", options.quiet, "Only errors on stderr, no summary lines on stdout")->excludes(verbose);
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
    register_schema_command(app);
    register_setup_commands(app, context);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
        const std::string message = describe_unknown_command(app).value_or(error.what());
        context.console().error(message);
        std::cerr << "Run with --help for more information.\n";
        print_failure_json(context, asks_for_json(options, argc, argv), message, ExitStatus::usage);
        return static_cast<int>(ExitStatus::usage);
    } catch (const chantal::Error& error) {
        const ExitStatus status = exit_status_for(error);
        context.console().error(error.what());
        if (!error.detail().empty()) context.console().detail("detail: " + error.detail());
        print_failure_json(context, asks_for_json(options, argc, argv), error.what(), status);
        return static_cast<int>(status);
    } catch (const std::exception& error) {
        const std::string message = std::string("unexpected failure: ") + error.what();
        context.console().error(message);
        print_failure_json(context, asks_for_json(options, argc, argv), message, ExitStatus::failure);
        return static_cast<int>(ExitStatus::failure);
    }
    return context.exit_code;
}
