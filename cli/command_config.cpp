// chantal config check: loads and validates the configuration with the
// loader every command uses, and reports what it found: per repository its
// mode, tree kind (mirror or generated), filters in effect as the sync names
// them, retention, upstream verification, the key that signs its generated
// tree and the compression of its generated repodata; the same per view. It touches no storage: no
// directory is created, no catalogue opened, no lock taken.
// An invalid or missing configuration exits with status 2.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/exit_status.h"
#include "cli/setup_commands.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/url.h"
#include "core/sync/package_filter.h"
#include "core/tree/package_format.h"

namespace chantal::cli {
namespace {

nlohmann::json storage_json(const Config& config) {
    return {{"base_path", config.storage.base_path.string()},
            {"pool_path", config.storage.pool_path.string()},
            {"temp_path", config.storage.temp_path.string()},
            {"published_path", config.storage.published_path.string()},
            {"database", config.database_path.string()}};
}

// What a repository's latest becomes: a mirror tree (upstream's files byte
// for byte) or a generated one (filters, retention; also a mirror whose
// hrefs leave the tree, which only a sync finds out).
const char* tree_kind(const RepositoryConfig& repository) {
    return repository.mode == RepositoryMode::mirror ? "mirror" : "generated";
}

// The filters as the sync names them, plus the versions bound.
std::vector<std::string> filters_in_effect(const RepositoryConfig& repository) {
    const PackageFilter filter(repository, package_format(repository.type), unix_time_now());
    std::vector<std::string> filters = filter.descriptions();
    if (const int kept = versions_kept(repository); kept > 0)
        filters.push_back("newest " + std::to_string(kept) + " version" + (kept == 1 ? "" : "s") + " per name.arch");
    return filters;
}

std::string retention_text(const RetentionSettings& retention) {
    std::string text = retention_policy_name(retention.policy);
    if (retention.policy == RetentionPolicy::keep_last_n) text += " (keep_count " + std::to_string(retention.keep_count) + ")";
    return text;
}

std::string verify_text(const std::optional<VerifySettings>& verify) {
    if (!verify) return "off";
    std::vector<std::string> checks;
    if (verify->repo_gpgcheck) checks.push_back("repo_gpgcheck");
    if (verify->gpgcheck) checks.push_back("gpgcheck");
    std::vector<std::string> keys;
    for (const auto& file : verify->key_files) keys.push_back(file.string());
    if (!verify->keys.empty()) keys.push_back(std::to_string(verify->keys.size()) + " inline key(s)");
    if (verify->gnupg_home) keys.push_back("gnupg_home " + verify->gnupg_home->string());
    std::string text = join(checks, ", ") + " with " + join(keys, ", ");
    if (!verify->trusted_fingerprints.empty())
        text += "; pinned " + join(verify->trusted_fingerprints, ", ");
    text += std::string("; missing signature: ") + signature_problem_action_name(verify->on_missing_signature) +
            ", invalid: " + signature_problem_action_name(verify->on_invalid_signature);
    return text;
}

nlohmann::json verify_json(const std::optional<VerifySettings>& verify) {
    if (!verify) return nullptr;
    std::vector<std::string> key_files;
    for (const auto& file : verify->key_files) key_files.push_back(file.string());
    return {{"repo_gpgcheck", verify->repo_gpgcheck},
            {"gpgcheck", verify->gpgcheck},
            {"key_files", key_files},
            {"inline_keys", verify->keys.size()},
            {"gnupg_home", verify->gnupg_home ? nlohmann::json(verify->gnupg_home->string()) : nlohmann::json(nullptr)},
            {"trusted_fingerprints", verify->trusted_fingerprints},
            {"on_missing_signature", signature_problem_action_name(verify->on_missing_signature)},
            {"on_invalid_signature", signature_problem_action_name(verify->on_invalid_signature)},
            {"client_key_name", verify->client_key_name},
            {"defined_at", verify->location.describe()}};
}

// The key source of a `gpg:` section, never its passphrase.
std::string signing_key_text(const SigningSettings& signing) {
    if (signing.key_file) return "key_file " + signing.key_file->string();
    if (signing.generate_key) return "generated key '" + signing.key_name + "'";
    return "key_id " + signing.key_id;
}

// Signing applies to generated trees only: a mirror tree keeps upstream's signature.
std::string signing_text(const std::optional<SigningSettings>& signing, bool generated) {
    if (!generated) return "upstream's (mirror tree)";
    if (!signing) return "unsigned";
    return signing_key_text(*signing) + ", public key " + signing->public_key_name;
}

nlohmann::json signing_json(const std::optional<SigningSettings>& signing, bool generated) {
    if (!generated || !signing) return nullptr;
    return {{"key", signing_key_text(*signing)},
            {"public_key_name", signing->public_key_name},
            {"defined_at", signing->location.describe()}};
}

nlohmann::json repository_json(const RepositoryConfig& repository) {
    const bool generated = repository.mode != RepositoryMode::mirror;
    return {{"id", repository.id},
            {"name", repository.name},
            {"type", repository.type},
            {"mode", repository_mode_name(repository.mode)},
            {"tree", tree_kind(repository)},
            {"enabled", repository.enabled},
            {"feed", redact_url(repository.feed)},
            {"filters", filters_in_effect(repository)},
            {"retention", {{"policy", retention_policy_name(repository.retention.policy)},
                           {"keep_count", repository.retention.keep_count}}},
            {"verify", verify_json(repository.verify)},
            {"signing", signing_json(repository.signing, generated)},
            {"metadata_compression", generated ? nlohmann::json(metadata_compression_name(repository.metadata_compression))
                                               : nlohmann::json(nullptr)},
            {"defined_at", repository.location.describe()}};
}

nlohmann::json view_json(const ViewConfig& view, MetadataCompression compression) {
    return {{"name", view.name},
            {"repos", view.repos},
            {"tree", "generated"},
            {"signing", signing_json(view.signing, true)},
            {"metadata_compression", metadata_compression_name(compression)},
            {"defined_at", view.location.describe()}};
}

void print_json_report(Console& console, const Config& config) {
    nlohmann::json repositories = nlohmann::json::array();
    for (const auto& repository : config.repositories) repositories.push_back(repository_json(repository));
    nlohmann::json views = nlohmann::json::array();
    for (const auto& view : config.views) views.push_back(view_json(view, config.metadata_compression));
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
        Table repositories({"REPOSITORY", "TYPE", "MODE", "TREE", "ENABLED", "FEED"});
        for (const auto& repository : config.repositories)
            repositories.add_row({repository.id, repository.type, repository_mode_name(repository.mode),
                                  tree_kind(repository), repository.enabled ? "yes" : "no", redact_url(repository.feed)});
        console.print_line("");
        console.print_table(repositories);
    }
    if (!config.views.empty()) {
        Table views({"VIEW", "TREE", "REPOSITORIES"});
        for (const auto& view : config.views) {
            views.add_row({view.name, "generated", join(view.repos, ", ")});
        }
        console.print_line("");
        console.print_table(views);
    }
    for (const auto& repository : config.repositories) {
        const auto filters = filters_in_effect(repository);
        KeyValueList details;
        details.add("filters", filters.empty() ? "none" : join(filters, "; "));
        details.add("retention", retention_text(repository.retention));
        details.add("verify", verify_text(repository.verify));
        const bool generated = repository.mode != RepositoryMode::mirror;
        details.add("signing", signing_text(repository.signing, generated));
        details.add("repodata", generated ? std::string("generated, compression ") +
                                                metadata_compression_name(repository.metadata_compression)
                                          : "upstream's");
        console.print_line("");
        console.print_line("repository " + repository.id + " (" + tree_kind(repository) + " tree):");
        details.print(std::cout);
    }
    for (const auto& view : config.views) {
        KeyValueList details;
        details.add("signing", signing_text(view.signing, true));
        details.add("repodata", std::string("generated, compression ") + metadata_compression_name(config.metadata_compression));
        console.print_line("");
        console.print_line("view " + view.name + " (generated tree):");
        details.print(std::cout);
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
