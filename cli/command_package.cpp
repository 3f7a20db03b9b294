// chantal package list | show | search | upload: packages of one tree, one
// package everywhere it is held, a name search across the catalogue (the
// same three answer as `chantal content ...` too), and local package files
// into a hosted repository.
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/index_preparation_output.h"
#include "cli/tree_package_list.h"
#include "cli/tree_target.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/repository_records.h"
#include "core/query/package_query.h"
#include "core/snapshots/view_reconcile.h"
#include "core/upload/package_file.h"
#include "core/upload/package_upload.h"
#include "core/upload/upload_sources.h"

namespace chantal::cli {
namespace {

struct ListOptions {
    TreeTarget target;
    std::string snapshot;  // "" or "latest": the latest tree
};

void list_packages(AppContext& context, const ListOptions& options) {
    print_tree_packages(context, options.target, options.snapshot,
                        context.console().json() ? PackageListFormat::json : PackageListFormat::table);
}

std::string holder_kind(const TreeAddress& tree) { return tree.is_view() ? "view" : "repository"; }

void show_packages(AppContext& context, const std::string& query) {
    Database& database = context.catalogue().database();
    reconcile_views(database, context.config());
    const std::vector<PackageDetails> packages = find_packages(database, query);
    Console& console = context.console();
    auto pool_path = [&](const PackageDetails& package) -> std::string {
        if (!package.sha256 || !package.filename) return "";
        return context.pool().path_for(*package.sha256, *package.filename).string();
    };
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& package : packages) {
            nlohmann::json holders = nlohmann::json::array();
            for (const auto& holder : package.holders)
                holders.push_back({{"kind", holder_kind(holder.tree)},
                                   {"id", holder.tree.owner},
                                   {"snapshot", holder.tree.snapshot_name()},
                                   {"path", holder.path}});
            list.push_back({{"name", package.name},
                            {"epoch", package.epoch},
                            {"version", package.version},
                            {"release", package.release},
                            {"arch", package.arch},
                            {"nevra", package.nevra()},
                            {"pkgid", package.checksum},
                            {"pkgid_type", package.checksum_type},
                            {"sha256", package.sha256 ? nlohmann::json(*package.sha256) : nullptr},
                            {"filename", package.filename ? nlohmann::json(*package.filename) : nullptr},
                            {"pool_path", package.sha256 ? nlohmann::json(pool_path(package)) : nullptr},
                            {"size", package.size_package},
                            {"size_installed", package.size_installed},
                            {"build_time", package.time_build ? nlohmann::json(format_utc_time(package.time_build)) : nullptr},
                            {"sourcerpm", package.sourcerpm},
                            {"summary", package.summary},
                            {"license", package.license},
                            {"vendor", package.vendor},
                            {"group", package.group},
                            {"location_href", package.location_href},
                            {"held_by", holders}});
        }
        console.print_json(list);
        return;
    }
    bool first = true;
    for (const auto& package : packages) {
        if (!first) console.print_line("");
        first = false;
        KeyValueList list;
        list.add("package", package.full_name());
        list.add("summary", package.summary);
        list.add("sha256", package.sha256.value_or("- (not downloaded yet)"));
        if (package.checksum != package.sha256.value_or("")) list.add("pkgid", package.checksum_type + ":" + package.checksum);
        list.add("size", format_bytes(package.size_package) + " (installed " + format_bytes(package.size_installed) + ")");
        if (package.time_build) list.add("built", format_utc_time(package.time_build));
        if (!package.sourcerpm.empty()) list.add(std::string(package.source_package_label()), package.sourcerpm);
        if (!package.license.empty()) list.add("license", package.license);
        if (!package.vendor.empty()) list.add("vendor", package.vendor);
        list.add("upstream href", package.location_href);
        list.add("pool file", package.sha256 ? pool_path(package) : "-");
        list.print(std::cout);
        if (package.holders.empty()) {
            console.print_line("held by: nothing (catalogued only)");
            continue;
        }
        Table table({"HELD BY", "ID", "SNAPSHOT", "PATH"});
        for (const auto& holder : package.holders)
            table.add_row({holder_kind(holder.tree), holder.tree.owner, std::string(holder.tree.snapshot_name()), holder.path});
        console.print_table(table);
    }
}

void search_command(AppContext& context, const std::string& query, std::size_t limit) {
    Database& database = context.catalogue().database();
    const std::vector<PackageSearchHit> hits = search_packages(database, query, limit);
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& hit : hits)
            list.push_back({{"name", hit.name},
                            {"evr", hit.evr},
                            {"arch", hit.arch},
                            {"repositories", hit.repositories},
                            {"snapshots", hit.snapshot_count}});
        console.print_json(list);
        return;
    }
    if (hits.empty()) {
        console.print_line("no package matches '" + query + "'");
        return;
    }
    Table table({"NAME", "VERSION", "ARCH", "REPOSITORIES (LATEST)", "SNAPSHOTS"});
    for (const auto& hit : hits) {
        const std::string repositories = join(hit.repositories, ", ");
        table.add_row({hit.name, hit.evr, hit.arch, repositories.empty() ? "-" : repositories,
                       std::to_string(hit.snapshot_count)});
    }
    console.print_table(table);
}

struct UploadCommand {
    std::string repo_id;
    std::vector<std::string> files;
    std::string directory;
    bool recursive = false;
    bool force = false;
    std::string component;
};

std::vector<std::filesystem::path> upload_files(const UploadCommand& command, const RepositoryConfig& repository) {
    if (command.directory.empty()) return {command.files.begin(), command.files.end()};
    const auto reader = package_file_reader(repository, command.component);
    return package_files_in(command.directory, command.recursive, reader->file_extension());
}

nlohmann::json upload_json(const UploadReport& report) {
    nlohmann::json packages = nlohmann::json::array();
    for (const auto& package : report.packages)
        packages.push_back({{"file", package.file.string()},
                            {"nevra", package.nevra},
                            {"sha256", package.sha256},
                            {"path", package.path},
                            {"status", upload_outcome_name(package.outcome)},
                            {"replaced_sha256", package.replaced_sha256 ? nlohmann::json(*package.replaced_sha256)
                                                                        : nlohmann::json(nullptr)}});
    return {{"repo_id", report.repo_id},
            {"latest_changed", report.latest_changed},
            {"packages_total", report.packages_total},
            {"packages", packages}};
}

void upload_command(AppContext& context, const UploadCommand& command) {
    const RepositoryConfig& repository = context.config().repository(command.repo_id);
    const UploadReport report =
        upload_packages(context.config(), repository, context.catalogue().database(), context.pool(),
                        upload_files(command, repository), UploadOptions{command.force, command.component});
    if (report.latest_changed) prepare_moved_trees(context, {report.repo_id});
    Console& console = context.console();
    if (console.json()) {
        console.print_json(upload_json(report));
        return;
    }
    std::map<UploadOutcome, int> counts;
    for (const auto& package : report.packages) {
        ++counts[package.outcome];
        console.detail(std::string(upload_outcome_name(package.outcome)) + ": " + package.file.string() + " as " +
                       package.path);
    }
    console.summary(report.repo_id + ": " + std::to_string(counts[UploadOutcome::added]) + " added, " +
                    std::to_string(counts[UploadOutcome::replaced]) + " replaced, " +
                    std::to_string(counts[UploadOutcome::unchanged]) + " unchanged; latest holds " +
                    std::to_string(report.packages_total) + " packages" +
                    (report.latest_changed ? "" : " (unchanged)"));
}

// list, show and search, under `package` and under `content` (the Python
// Chantal's name for them).
void add_query_commands(CLI::App* package, AppContext& context) {
    auto* list = package->add_subcommand("list", "List the packages of a repository or view (latest or a snapshot)");
    auto list_options = std::make_shared<ListOptions>();
    add_tree_target_options(list, list_options->target);
    list->add_option("--snapshot", list_options->snapshot, "Snapshot name (default: latest)");
    list->callback([&context, list_options] { list_packages(context, *list_options); });

    auto* show = package->add_subcommand("show", "Show a package by SHA-256, name or file name, and where it is held");
    auto query = std::make_shared<std::string>();
    show->add_option("PACKAGE", *query, "SHA-256 of the file, package name or file name")->required();
    show->callback([&context, query] { show_packages(context, *query); });

    auto* search = package->add_subcommand("search", "Find packages by name across the catalogue");
    auto search_query = std::make_shared<std::string>();
    auto limit = std::make_shared<std::size_t>(0);
    search->add_option("QUERY", *search_query, "Name substring (case-insensitive) or glob (*, ?, [...])")->required();
    search->add_option("--limit", *limit, "Show at most this many (0: all)");
    search->callback([&context, search_query, limit] { search_command(context, *search_query, *limit); });
}

}  // namespace

void register_package_commands(CLI::App& app, AppContext& context) {
    auto* package = app.add_subcommand("package", "Packages in repositories, snapshots and views");
    package->require_subcommand(1);
    add_query_commands(package, context);

    auto* upload = package->add_subcommand("upload", "Add local package files to a hosted repository's latest");
    auto upload_options = std::make_shared<UploadCommand>();
    upload->add_option("--repo-id", upload_options->repo_id, "Hosted repository id")->required();
    auto* files = upload->add_option("FILE", upload_options->files, "Package files");
    auto* directory = upload->add_option("--directory", upload_options->directory,
                                         "Upload every package file of the repository's type in DIR (*.rpm, *.deb)");
    files->excludes(directory);
    directory->excludes(files);
    upload->add_flag("--recursive", upload_options->recursive, "With --directory: its subdirectories too")
        ->needs(directory);
    upload->add_flag("--force", upload_options->force,
                     "Replace a different file of a package (name, version, arch) the repository already holds");
    upload->add_option("--component", upload_options->component,
                       "APT repositories: the component to upload into (default: the first of apt.components)");
    upload->callback([&context, upload_options, files, directory] {
        if (files->count() == 0 && directory->count() == 0) throw CLI::RequiredError("FILE... or --directory");
        upload_command(context, *upload_options);
    });

    auto* content = app.add_subcommand("content", "The package commands under the Python Chantal's name: list, show, search");
    content->require_subcommand(1);
    add_query_commands(content, context);
}

}  // namespace chantal::cli
