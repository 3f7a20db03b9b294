// chantal repo list | show: what the config says and what the catalogue knows.
#include <memory>
#include <vector>

#include "cli/commands.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/url.h"
#include "core/catalogue/repository_records.h"

namespace chantal::cli {
namespace {

nlohmann::json include_exclude_json(const IncludeExclude& lists) {
    nlohmann::json json = nlohmann::json::object();
    if (!lists.include.empty()) json["include"] = lists.include;
    if (!lists.exclude.empty()) json["exclude"] = lists.exclude;
    return json;
}

nlohmann::json filters_json(const RepositoryFilters& filters) {
    nlohmann::json json = nlohmann::json::object();
    if (!filters.patterns.empty()) json["patterns"] = include_exclude_json(filters.patterns);
    if (!filters.architectures.empty()) json["architectures"] = include_exclude_json(filters.architectures);
    if (filters.size_bytes.min) json["size_bytes"]["min"] = *filters.size_bytes.min;
    if (filters.size_bytes.max) json["size_bytes"]["max"] = *filters.size_bytes.max;
    if (!filters.build_time.newer_than_text.empty()) json["build_time"]["newer_than"] = filters.build_time.newer_than_text;
    if (!filters.build_time.older_than_text.empty()) json["build_time"]["older_than"] = filters.build_time.older_than_text;
    if (filters.build_time.last_n_days) json["build_time"]["last_n_days"] = *filters.build_time.last_n_days;
    if (!filters.groups.empty()) json["groups"] = include_exclude_json(filters.groups);
    if (!filters.licenses.empty()) json["licenses"] = include_exclude_json(filters.licenses);
    if (!filters.vendors.empty()) json["vendors"] = include_exclude_json(filters.vendors);
    if (!filters.epochs.include.empty()) json["epochs"]["include"] = filters.epochs.include;
    if (!filters.epochs.exclude.empty()) json["epochs"]["exclude"] = filters.epochs.exclude;
    if (filters.exclude_source_rpms) json["exclude_source_rpms"] = true;
    if (!filters.deb_priorities.empty()) json["deb"]["priorities"] = filters.deb_priorities;
    if (!filters.deb_sections.empty()) json["deb"]["sections"] = filters.deb_sections;
    if (filters.only_latest_version) json["only_latest_version"] = true;
    if (filters.only_latest_n_versions) json["only_latest_n_versions"] = filters.only_latest_n_versions;
    return json;
}

std::string describe_filters(const RepositoryFilters& filters) {
    if (filters.empty()) return "none";
    std::string text;
    auto append = [&](const std::string& part) { text += (text.empty() ? "" : "; ") + part; };
    auto list = [](const std::vector<std::string>& items) { return join(items, ", "); };
    auto lists = [&](const std::string& what, const IncludeExclude& values) {
        if (!values.include.empty()) append(what + " " + list(values.include));
        if (!values.exclude.empty()) append("not " + what + " " + list(values.exclude));
    };
    if (!filters.patterns.include.empty()) append("include " + list(filters.patterns.include));
    if (!filters.patterns.exclude.empty()) append("exclude " + list(filters.patterns.exclude));
    lists("arch", filters.architectures);
    if (filters.size_bytes.min) append("size >= " + std::to_string(*filters.size_bytes.min) + " bytes");
    if (filters.size_bytes.max) append("size <= " + std::to_string(*filters.size_bytes.max) + " bytes");
    if (!filters.build_time.newer_than_text.empty()) append("built from " + filters.build_time.newer_than_text);
    if (!filters.build_time.older_than_text.empty()) append("built until " + filters.build_time.older_than_text);
    if (filters.build_time.last_n_days)
        append("built in the last " + std::to_string(*filters.build_time.last_n_days) + " days");
    lists("group", filters.groups);
    lists("license", filters.licenses);
    lists("vendor", filters.vendors);
    auto epochs = [](const std::vector<std::uint64_t>& values) {
        std::vector<std::string> texts;
        for (auto value : values) texts.push_back(std::to_string(value));
        return join(texts, ", ");
    };
    if (!filters.epochs.include.empty()) append("epoch " + epochs(filters.epochs.include));
    if (!filters.epochs.exclude.empty()) append("not epoch " + epochs(filters.epochs.exclude));
    if (filters.exclude_source_rpms) append("no source RPMs");
    if (!filters.deb_priorities.empty()) append("priority " + list(filters.deb_priorities));
    if (!filters.deb_sections.empty()) append("section " + list(filters.deb_sections));
    if (filters.only_latest_version) append("only latest version");
    if (filters.only_latest_n_versions) append("latest " + std::to_string(filters.only_latest_n_versions) + " versions");
    return text;
}

std::string describe_retention(const RetentionSettings& retention) {
    std::string text = retention_policy_name(retention.policy);
    if (retention.policy == RetentionPolicy::keep_last_n) text += " (" + std::to_string(retention.keep_count) + " per name.arch)";
    return text;
}

// auth: without its secrets (names of custom headers, never their values).
std::string describe_auth(const Config& config, const RepositoryConfig& repository) {
    std::vector<std::string> parts;
    if (repository.basic_auth) parts.push_back("basic (user " + repository.basic_auth->username + ")");
    if (repository.bearer_token) parts.push_back("bearer token");
    if (!repository.headers.empty()) {
        std::vector<std::string> names;
        for (const auto& header : repository.headers) names.push_back(header.name);
        parts.push_back("custom headers " + join(names, ", "));
    }
    const TlsSettings tls = config.tls.merged_with(repository.tls);
    if (tls.client_cert_dir) parts.push_back("client certificate pair from " + tls.client_cert_dir->string());
    else if (tls.client_cert) parts.push_back("client certificate " + tls.client_cert->string());
    return parts.empty() ? "none" : join(parts, "; ");
}

// verify: as configured, for `repo show`.
std::string describe_verify(const std::optional<VerifySettings>& verify) {
    if (!verify) return "off";
    std::vector<std::string> checks;
    if (verify->repo_gpgcheck) checks.push_back("repo_gpgcheck");
    if (verify->gpgcheck) checks.push_back("gpgcheck");
    const std::size_t sources = verify->key_files.size() + verify->keys.size() + (verify->gnupg_home ? 1 : 0);
    std::string text = join(checks, " + ") + " with " + std::to_string(sources) + " key source(s)";
    if (!verify->trusted_fingerprints.empty())
        text += ", " + std::to_string(verify->trusted_fingerprints.size()) + " pinned fingerprint(s)";
    text += std::string("; missing signature: ") + signature_problem_action_name(verify->on_missing_signature) +
            ", invalid: " + signature_problem_action_name(verify->on_invalid_signature);
    if (!verify->client_key_name.empty()) text += "; key served as " + verify->client_key_name;
    return text;
}

// gpg: as configured, for `repo show` (mirror trees keep upstream's signature).
std::string describe_signing(const RepositoryConfig& repository) {
    std::string generated = "unsigned (no gpg: key)";
    if (const auto& signing = repository.signing) {
        generated = signing->key_file        ? "key file " + signing->key_file->string()
                    : signing->generate_key ? "generated key"
                                            : "key " + signing->key_id;
        generated += ", public key served as " + signing->public_key_name;
    }
    if (repository.mode == RepositoryMode::mirror)
        return "mirror tree: upstream's own signature, never re-signed (a generated fallback tree: " + generated + ")";
    return generated;
}

nlohmann::json optional_time(const std::optional<std::int64_t>& unix_time) {
    return unix_time ? nlohmann::json(format_utc_time(*unix_time)) : nlohmann::json(nullptr);
}

nlohmann::json repository_json(const RepositoryConfig& repository, const RepositorySummary& summary) {
    return {{"id", repository.id},
            {"name", repository.name},
            {"type", repository.type},
            {"feed", redact_url(repository.feed)},
            {"mode", repository_mode_name(repository.mode)},
            {"enabled", repository.enabled},
            {"filters", filters_json(repository.filters)},
            {"retention", describe_retention(repository.retention)},
            {"packages", summary.package_count},
            {"package_bytes", summary.package_bytes},
            {"snapshots", summary.snapshot_count},
            {"last_sync", optional_time(summary.last_sync_at)},
            {"last_sync_status", summary.last_sync_status ? nlohmann::json(*summary.last_sync_status) : nullptr}};
}

RepositorySummary summary_for(AppContext& context, const std::string& repo_id) {
    Catalogue* catalogue = context.catalogue_if_exists();
    return catalogue ? summarize_repository(catalogue->database(), repo_id) : RepositorySummary{};
}

// type: only repositories of this package format; empty: all.
void list_repositories(AppContext& context, const std::string& type) {
    const Config& config = context.config();
    Console& console = context.console();
    std::vector<const RepositoryConfig*> repositories;
    for (const auto& repository : config.repositories)
        if (type.empty() || repository.type == type) repositories.push_back(&repository);
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto* repository : repositories)
            list.push_back(repository_json(*repository, summary_for(context, repository->id)));
        console.print_json(list);
        return;
    }
    if (repositories.empty()) {
        console.print_line("no " + (type.empty() ? std::string() : type + " ") + "repositories configured in " +
                           config.file.string());
        return;
    }
    // LAST SYNC: when latest was last brought up to date; STATUS: how the
    // newest attempt ended (a failed one leaves LAST SYNC as it was).
    Table table({"ID", "NAME", "MODE", "ENABLED", "PACKAGES", "SIZE", "LAST SYNC", "STATUS"});
    for (const auto* repository_pointer : repositories) {
        const RepositoryConfig& repository = *repository_pointer;
        RepositorySummary summary = summary_for(context, repository.id);
        table.add_row({repository.id, repository.name, repository_mode_name(repository.mode),
                       repository.enabled ? "yes" : "no", std::to_string(summary.package_count),
                       format_bytes(summary.package_bytes), format_time_or(summary.last_sync_at, "never"),
                       summary.last_sync_status.value_or("-")});
    }
    console.print_table(table);
}

// The installer tree of latest (.treeinfo and what it lists), for `repo show`.
std::string describe_installer_tree(const RepositorySummary& summary) {
    if (summary.installer_files == 0) return "none";
    std::string text = "present: .treeinfo and " + std::to_string(summary.installer_files - 1) + " listed file(s) (" +
                       format_bytes(summary.installer_bytes) + ")";
    if (!summary.installer_in_generated_trees)
        text += "; its .treeinfo names another layout than generated trees have, so they and views leave it out";
    return text;
}

void show_repository(AppContext& context, const std::string& repo_id) {
    const RepositoryConfig& repository = context.config().repository(repo_id);
    RepositorySummary summary = summary_for(context, repo_id);
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json json = repository_json(repository, summary);
        json["config_file"] = repository.location.describe();
        json["last_attempt"] = optional_time(summary.last_attempt_at);
        json["last_sync_message"] = summary.last_sync_message ? nlohmann::json(*summary.last_sync_message) : nullptr;
        json["verify"] = describe_verify(repository.verify);
        json["packages_verified"] = summary.packages_verified;
        json["signing"] = describe_signing(repository);
        json["auth"] = describe_auth(context.config(), repository);
        json["installer_tree"] =
            summary.installer_files == 0
                ? nlohmann::json(nullptr)
                : nlohmann::json{{"files", summary.installer_files},
                                 {"bytes", summary.installer_bytes},
                                 {"in_generated_trees", summary.installer_in_generated_trees}};
        console.print_json(json);
        return;
    }
    KeyValueList list;
    list.add("id", repository.id);
    list.add("name", repository.name);
    list.add("type", repository.type);
    list.add("feed", redact_url(repository.feed));
    list.add("mode", repository_mode_name(repository.mode));
    list.add("enabled", repository.enabled ? "yes" : "no");
    list.add("filters", describe_filters(repository.filters));
    list.add("retention", describe_retention(repository.retention));
    list.add("auth", describe_auth(context.config(), repository));
    list.add("defined at", repository.location.describe());
    list.add("verify", describe_verify(repository.verify));
    if (repository.verify && repository.verify->gpgcheck && summary.in_catalogue)
        list.add("packages checked", summary.packages_verified ? "every package of latest passed gpgcheck"
                                                               : "not yet (the next sync checks them)");
    list.add("signing", describe_signing(repository));
    list.add("packages", std::to_string(summary.package_count) + " (" + format_bytes(summary.package_bytes) + ")");
    list.add("installer tree", describe_installer_tree(summary));
    list.add("snapshots", std::to_string(summary.snapshot_count));
    list.add("last sync", format_time_or(summary.last_sync_at, "never"));
    if (summary.last_sync_status) {
        const bool failed = *summary.last_sync_status == "failed";
        const std::string& message = summary.last_sync_message.value_or("");
        list.add("last attempt", format_time_or(summary.last_attempt_at, "") + " " + *summary.last_sync_status +
                                     (failed || message.empty() ? "" : ": " + message));
        if (failed) list.add("last error", message.empty() ? "-" : message);
    }
    list.print(std::cout);
}

}  // namespace

void register_repo_commands(CLI::App& app, AppContext& context) {
    auto* repo = app.add_subcommand("repo", "Configured repositories");
    repo->require_subcommand(1);

    auto* list = repo->add_subcommand("list", "List repositories with their state");
    auto type = std::make_shared<std::string>();
    list->add_option("--type", *type, "Only repositories of this type")->check(CLI::IsMember({"rpm", "apt"}));
    list->callback([&context, type] { list_repositories(context, *type); });

    auto* show = repo->add_subcommand("show", "Show one repository: config and what the catalogue knows");
    auto repo_id = std::make_shared<std::string>();
    show->add_option("--repo-id", *repo_id, "Repository id")->required();
    show->callback([&context, repo_id] { show_repository(context, *repo_id); });

    register_repo_sync_commands(repo, context);
}

}  // namespace chantal::cli
