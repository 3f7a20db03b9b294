// chantal config check: loads and validates the configuration with the
// loader every command uses, and reports what it found. It touches no
// storage: no directory is created, no catalogue opened, no lock taken.
// An invalid or missing configuration exits with status 2.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/exit_status.h"
#include "cli/setup_commands.h"
#include "core/base/error.h"
#include "core/base/url.h"

namespace chantal::cli {
namespace {

nlohmann::json storage_json(const Config& config) {
    return {{"base_path", config.storage.base_path.string()},
            {"pool_path", config.storage.pool_path.string()},
            {"temp_path", config.storage.temp_path.string()},
            {"published_path", config.storage.published_path.string()},
            {"database", config.database_path.string()}};
}

nlohmann::json repository_json(const RepositoryConfig& repository) {
    return {{"id", repository.id},
            {"name", repository.name},
            {"type", repository.type},
            {"mode", repository_mode_name(repository.mode)},
            {"enabled", repository.enabled},
            {"feed", redact_url(repository.feed)},
            {"defined_at", repository.location.describe()}};
}

nlohmann::json view_json(const ViewConfig& view) {
    return {{"name", view.name}, {"repos", view.repos}, {"defined_at", view.location.describe()}};
}

void print_json_report(Console& console, const Config& config) {
    nlohmann::json repositories = nlohmann::json::array();
    for (const auto& repository : config.repositories) repositories.push_back(repository_json(repository));
    nlohmann::json views = nlohmann::json::array();
    for (const auto& view : config.views) views.push_back(view_json(view));
    console.print_json({{"status", exit_status_name(ExitStatus::success)},
                        {"valid", true},
                        {"config", config.file.string()},
                        {"repositories", repositories},
                        {"views", views},
                        {"storage", storage_json(config)},
                        {"warnings", config.warnings}});
}

void print_table_report(Console& console, const Config& config) {
    std::size_t enabled = 0;
    for (const auto& repository : config.repositories) enabled += repository.enabled ? 1 : 0;
    KeyValueList summary;
    summary.add("config", config.file.string() + " (valid)");
    summary.add("repositories", std::to_string(config.repositories.size()) + " (" + std::to_string(enabled) + " enabled)");
    summary.add("views", std::to_string(config.views.size()));
    summary.add("database", config.database_path.string());
    summary.add("base path", config.storage.base_path.string());
    summary.add("pool", config.storage.pool_path.string());
    summary.add("temp", config.storage.temp_path.string());
    summary.add("published", config.storage.published_path.string());
    summary.add("warnings", std::to_string(config.warnings.size()));
    summary.print(std::cout);
    if (!config.repositories.empty()) {
        Table repositories({"REPOSITORY", "TYPE", "MODE", "ENABLED", "FEED"});
        for (const auto& repository : config.repositories)
            repositories.add_row({repository.id, repository.type, repository_mode_name(repository.mode),
                                  repository.enabled ? "yes" : "no", redact_url(repository.feed)});
        console.print_line("");
        console.print_table(repositories);
    }
    if (!config.views.empty()) {
        Table views({"VIEW", "REPOSITORIES"});
        for (const auto& view : config.views) {
            views.add_row({view.name, join(view.repos, ", ")});
        }
        console.print_line("");
        console.print_table(views);
    }
}

// A configuration that cannot be used as written (invalid, missing) is
// status 2, like a usage error; other failures keep their usual status.
ExitStatus status_of_failed_check(const Error& error) {
    if (error.kind() == ErrorKind::invalid_input || error.kind() == ErrorKind::not_found) return ExitStatus::usage;
    return exit_status_for(error);
}

void check_config(AppContext& context) {
    Console& console = context.console();
    try {
        const Config& config = context.config();
        if (console.json())
            print_json_report(console, config);
        else
            print_table_report(console, config);
    } catch (const Error& error) {
        const ExitStatus status = status_of_failed_check(error);
        console.error(error.what());
        if (console.json())
            console.print_json({{"status", exit_status_name(status)},
                                {"valid", false},
                                {"error", error.what()},
                                {"exit_status", static_cast<int>(status)}});
        context.exit_code = static_cast<int>(status);
    }
}

}  // namespace

void register_config_commands(CLI::App& app, AppContext& context) {
    auto* config = app.add_subcommand("config", "The configuration file");
    config->require_subcommand(1);
    auto* check = config->add_subcommand(
        "check", "Load and validate the configuration without touching storage; print its repositories, views "
                 "and storage paths (exit status 2 when it is invalid)");
    check->callback([&context] { check_config(context); });
}

}  // namespace chantal::cli
