// chantal export (--repo-id ID | --view V) [--snapshot N] --dest DIR
// chantal publish repo (--repo-id ID | --all) | publish snapshot (--repo-id ID | --view V) (--name | --snapshot) N
//         | publish view --name V | publish list | publish unpublish (--repo-id ID | --view V) [--snapshot N]
//
// Both write a tree as a static directory (core/export/export_tree.h): export to
// any directory (air-gapped transfer), publish under storage.published_path
// at the tree's own path (repos/ID/latest, views/V/snapshots/N, ...) for web
// servers without FUSE. This file parses and prints.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "cli/tree_target.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/lookups.h"
#include "core/catalogue/repository_records.h"
#include "core/export/export_tree.h"
#include "core/export/published_trees.h"
#include "core/snapshots/view_reconcile.h"

namespace chantal::cli {
namespace {

nlohmann::json result_json(const ExportResult& result) {
    const auto& counts = result.placements;
    return {{"tree", result.tree},
                            {"destination", result.destination.string()},
                            {"unchanged", result.unchanged},
                            {"replaced", result.replaced},
                            {"files", result.files},
                            {"bytes", result.bytes},
                            {"linked_files", counts.linked_files},
                            {"linked_bytes", counts.linked_bytes},
                            {"copied_files", counts.copied_files()},
                            {"copied_bytes", counts.copied_bytes()},
                            {"copied_cross_device_files", counts.copied_cross_device_files},
                            {"copied_cross_device_bytes", counts.copied_cross_device_bytes},
                            {"copied_link_limit_files", counts.copied_link_limit_files},
                            {"copied_link_limit_bytes", counts.copied_link_limit_bytes},
                            {"digest", result.digest},
                            {"seconds", result.seconds}};
}

void print_result(const Console& console, const ExportResult& result, const std::string& verb) {
    const auto& counts = result.placements;
    if (console.json()) {
        console.print_json(result_json(result));
        return;
    }
    const std::string what = result.tree + " at " + result.destination.string();
    if (result.unchanged) {
        console.summary(what + " unchanged (" + std::to_string(result.files) + " files, " + format_bytes(result.bytes) +
                        "); nothing written");
        return;
    }
    std::string line = verb + " " + what + ": " + std::to_string(result.files) + " files, " + format_bytes(result.bytes) +
                       " (" + std::to_string(counts.linked_files) + " linked, " + format_bytes(counts.linked_bytes) + "; " +
                       std::to_string(counts.copied_files()) + " copied, " + format_bytes(counts.copied_bytes()) + ")";
    line += result.replaced ? ", replaced the previous tree" : "";
    console.summary(line + " in " + format_seconds(result.seconds));
    if (counts.copied_cross_device_files)
        console.summary("  " + std::to_string(counts.copied_cross_device_files) +
                        " copied because the destination is on another file system than the pool (EXDEV)");
    if (counts.copied_link_limit_files)
        console.summary("  " + std::to_string(counts.copied_link_limit_files) +
                        " copied because their pool file reached the file system's link limit (EMLINK)");
}

ExportResult write_tree(AppContext& context, const TreeTarget& target, const std::string& snapshot,
                        const std::filesystem::path& destination) {
    Database& database = prepared_catalogue(context, target);
    const TreeAddress tree = target.tree(snapshot);
    ProgressBar bar(context.console(), "export");
    ExportOptions options;
    options.on_progress = [&bar](const ExportProgress& progress) {
        bar.update({progress.files_done, progress.files_total, progress.bytes_done, progress.bytes_total, 0, 0});
    };
    options.signing = &context.signing_keys();
    const ExportResult result = export_tree(database, context.pool(), tree, destination, options);
    bar.clear();
    return result;
}

void run_export(AppContext& context, const TreeTarget& target, const std::string& snapshot,
                const std::filesystem::path& destination, const std::string& verb) {
    print_result(context.console(), write_tree(context, target, snapshot, destination), verb);
}

const std::filesystem::path& published_root(AppContext& context) {
    const auto& published = context.config().storage.published_path;
    if (published.empty()) throw Error::invalid_input("storage.published_path is not set in the config");
    return published;
}

ExportResult publish_tree(AppContext& context, const TreeTarget& target, const std::string& snapshot) {
    return write_tree(context, target, snapshot, published_root(context) / target.tree(snapshot).path());
}

void publish(AppContext& context, const TreeTarget& target, const std::string& snapshot) {
    print_result(context.console(), publish_tree(context, target, snapshot), "published");
}

// publish repo --all: the latest tree of every enabled repository, in config
// order. One that was never synced is skipped with a warning; one that fails
// is reported and the others go on (exit status 1 at the end).
void publish_all_repositories(AppContext& context) {
    Console& console = context.console();
    Database& database = context.catalogue().database();
    nlohmann::json results = nlohmann::json::array();
    for (const auto& repository : context.config().repositories) {
        if (!repository.enabled) continue;
        const auto row = find_repository_row(database, repository.id);
        if (!row || !has_latest(database, *row)) {
            console.warning("repository '" + repository.id + "' has never been synced; not published");
            continue;
        }
        try {
            const ExportResult result = publish_tree(context, TreeTarget{repository.id, ""}, "");
            if (console.json())
                results.push_back(result_json(result));
            else
                print_result(console, result, "published");
        } catch (const Error& error) {
            console.error("repository '" + repository.id + "': " + error.what());
            if (console.json())
                results.push_back({{"repo_id", repository.id}, {"status", "failed"}, {"error", error.what()}});
            context.exit_code = 1;
        }
    }
    if (console.json()) console.print_json(results);
}

const char* tree_kind_name(const TreeAddress& tree) {
    switch (tree.kind) {
        case TreeKind::repo_latest: return "repository";
        case TreeKind::repo_snapshot: return "snapshot";
        case TreeKind::view_latest: return "view";
        case TreeKind::view_snapshot: return "view_snapshot";
    }
    return "repository";
}

nlohmann::json published_json(const PublishedTree& published) {
    nlohmann::json json = {{"tree", published.tree.path()},
                           {"kind", tree_kind_name(published.tree)},
                           {"directory", published.directory.string()},
                           {"published", format_utc_time(published.published_at)},
                           {"files", published.marker.files},
                           {"bytes", published.bytes},
                           {"digest", published.marker.digest}};
    json[published.tree.is_view() ? "view" : "repo_id"] = published.tree.owner;
    if (!published.tree.is_latest()) json["snapshot"] = published.tree.snapshot;
    return json;
}

// The owner, and the snapshot when there is one: "base", "base@2025-06".
std::string source_text(const TreeAddress& tree) {
    return tree.is_latest() ? tree.owner : tree.owner + "@" + tree.snapshot;
}

void list_published(AppContext& context) {
    const std::filesystem::path& root = published_root(context);
    const std::vector<PublishedTree> trees = list_published_trees(root);
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& published : trees) list.push_back(published_json(published));
        console.print_json(list);
        return;
    }
    if (trees.empty()) {
        console.print_line("nothing published under " + root.string());
        return;
    }
    Table table({"TREE", "KIND", "SOURCE", "PUBLISHED", "FILES", "SIZE"});
    for (const auto& published : trees)
        table.add_row({published.tree.path(), tree_kind_name(published.tree), source_text(published.tree),
                       format_utc_time(published.published_at), std::to_string(published.marker.files),
                       format_bytes(published.bytes)});
    console.print_table(table);
}

void unpublish(AppContext& context, const TreeTarget& target, const std::string& snapshot) {
    const PublishedTree removed = unpublish_tree(published_root(context), target.tree(snapshot));
    Console& console = context.console();
    if (console.json()) {
        console.print_json(published_json(removed));
        return;
    }
    console.summary("unpublished " + removed.tree.path() + ": removed " + removed.directory.string() + " (" +
                    std::to_string(removed.marker.files) + " files, " + format_bytes(removed.bytes) + ")");
}

}  // namespace

void register_export_commands(CLI::App& app, AppContext& context) {
    {
        auto* command = app.add_subcommand("export", "Write a tree as a static directory (hardlinks into the pool)");
        auto target = std::make_shared<TreeTarget>();
        auto snapshot = std::make_shared<std::string>();
        auto destination = std::make_shared<std::filesystem::path>();
        add_tree_target_options(command, *target);
        command->add_option("--snapshot", *snapshot, "Snapshot name (default: the latest state)");
        command->add_option("--dest", *destination, "Destination directory (replaced atomically)")->required();
        command->callback([&context, target, snapshot, destination] {
            run_export(context, *target, *snapshot, *destination, "exported");
        });
    }
    auto* publish_group = app.add_subcommand("publish", "Publish a tree under storage.published_path (no FUSE needed)");
    publish_group->require_subcommand(1);
    {
        auto* command = publish_group->add_subcommand("repo", "Publish repos/ID/latest");
        auto target = std::make_shared<TreeTarget>();
        auto all = std::make_shared<bool>(false);
        auto* group = command->add_option_group("target", "What the command works on");
        group->add_option("--repo-id", target->repo_id, "Repository id");
        group->add_flag("--all", *all, "Every enabled repository that has been synced");
        group->require_option(1);
        command->callback([&context, target, all] {
            if (*all)
                publish_all_repositories(context);
            else
                publish(context, *target, "");
        });
    }
    {
        auto* command = publish_group->add_subcommand("snapshot", "Publish repos/ID/snapshots/N or views/V/snapshots/N");
        auto target = std::make_shared<TreeTarget>();
        auto name = std::make_shared<std::string>();
        add_tree_target_options(command, *target);
        command->add_option("--name,--snapshot", *name, "Snapshot name")->required();
        command->callback([&context, target, name] { publish(context, *target, *name); });
    }
    {
        auto* command = publish_group->add_subcommand("view", "Publish views/V/latest");
        auto target = std::make_shared<TreeTarget>();
        command->add_option("--name", target->view, "View name")->required();
        command->callback([&context, target] { publish(context, *target, ""); });
    }
    publish_group->add_subcommand("list", "Trees published under storage.published_path: kind, source, when, size")
        ->callback([&context] { list_published(context); });
    {
        auto* command = publish_group->add_subcommand(
            "unpublish", "Remove a published tree (only one that publish made: it carries the export mark)");
        auto target = std::make_shared<TreeTarget>();
        auto snapshot = std::make_shared<std::string>();
        add_tree_target_options(command, *target);
        command->add_option("--snapshot", *snapshot, "Snapshot name (default: the latest tree)");
        command->callback([&context, target, snapshot] { unpublish(context, *target, *snapshot); });
    }
}

}  // namespace chantal::cli
