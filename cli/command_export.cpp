// chantal export (--repo-id ID | --view V) [--snapshot N] --dest DIR
// chantal publish repo --repo-id ID | publish snapshot (--repo-id ID | --view V) --name N | publish view --name V
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
#include "core/catalogue/repository_records.h"
#include "core/export/export_tree.h"
#include "core/snapshots/view_reconcile.h"

namespace chantal::cli {
namespace {

void print_result(const Console& console, const ExportResult& result, const std::string& verb) {
    const auto& counts = result.placements;
    if (console.json()) {
        console.print_json({{"tree", result.tree},
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
                            {"seconds", result.seconds}});
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

void run_export(AppContext& context, const TreeTarget& target, const std::string& snapshot,
                const std::filesystem::path& destination, const std::string& verb) {
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
    print_result(context.console(), result, verb);
}

void publish(AppContext& context, const TreeTarget& target, const std::string& snapshot) {
    const auto& published = context.config().storage.published_path;
    if (published.empty()) throw Error::invalid_input("storage.published_path is not set in the config");
    run_export(context, target, snapshot, published / target.tree(snapshot).path(), "published");
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
        command->add_option("--repo-id", target->repo_id, "Repository id")->required();
        command->callback([&context, target] { publish(context, *target, ""); });
    }
    {
        auto* command = publish_group->add_subcommand("snapshot", "Publish repos/ID/snapshots/N or views/V/snapshots/N");
        auto target = std::make_shared<TreeTarget>();
        auto name = std::make_shared<std::string>();
        add_tree_target_options(command, *target);
        command->add_option("--name", *name, "Snapshot name")->required();
        command->callback([&context, target, name] { publish(context, *target, *name); });
    }
    {
        auto* command = publish_group->add_subcommand("view", "Publish views/V/latest");
        auto target = std::make_shared<TreeTarget>();
        command->add_option("--name", target->view, "View name")->required();
        command->callback([&context, target] { publish(context, *target, ""); });
    }
}

}  // namespace chantal::cli
