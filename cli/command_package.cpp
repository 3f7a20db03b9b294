// chantal package list | show | search: packages of one tree, one package
// everywhere it is held, and a name search across the catalogue. The same
// three answer as `chantal content ...` too.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/tree_package_list.h"
#include "cli/tree_target.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/repository_records.h"
#include "core/query/package_query.h"
#include "core/snapshots/view_reconcile.h"

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
        list.add("package", package.nevra());
        list.add("summary", package.summary);
        list.add("sha256", package.sha256.value_or("- (not downloaded yet)"));
        if (package.checksum != package.sha256.value_or("")) list.add("pkgid", package.checksum_type + ":" + package.checksum);
        list.add("size", format_bytes(package.size_package) + " (installed " + format_bytes(package.size_installed) + ")");
        if (package.time_build) list.add("built", format_utc_time(package.time_build));
        if (!package.sourcerpm.empty()) list.add("source rpm", package.sourcerpm);
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

    auto* content = app.add_subcommand("content", "The package commands under the Python Chantal's name: list, show, search");
    content->require_subcommand(1);
    add_query_commands(content, context);
}

}  // namespace chantal::cli
