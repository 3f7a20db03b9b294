// chantal view list | show: views from the config as the catalogue knows
// them (reconciled first), with members, snapshots and conflicts.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/base/file_util.h"
#include "core/catalogue/lookups.h"
#include "core/query/view_query.h"
#include "core/snapshots/view_reconcile.h"

namespace chantal::cli {
namespace {

std::string member_list(const ViewInfo& info) {
    std::string text;
    for (const auto& member : info.members) text += (text.empty() ? "" : ", ") + member.repo_id;
    return text;
}

nlohmann::json view_json(const ViewInfo& info, bool with_contents) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& member : info.members)
        members.push_back({{"position", member.position},
                           {"repo_id", member.repo_id},
                           {"last_sync", member.last_sync_at ? nlohmann::json(format_utc_time(*member.last_sync_at)) : nullptr},
                           {"packages", member.package_count},
                           {"package_bytes", member.package_bytes}});
    nlohmann::json json = {{"name", info.name},
                           {"description", info.description},
                           {"configured", info.configured},
                           {"members", members},
                           {"snapshots", info.snapshots}};
    if (with_contents) {
        nlohmann::json conflicts = nlohmann::json::array();
        for (const auto& conflict : info.conflicts)
            conflicts.push_back({{"filename", conflict.filename},
                                 {"served_from", conflict.winner_repo_id},
                                 {"served_sha256", conflict.winner_sha256},
                                 {"shadowed", conflict.shadowed_repo_id},
                                 {"shadowed_sha256", conflict.shadowed_sha256}});
        json["packages"] = info.package_count;
        json["package_bytes"] = info.package_bytes;
        json["conflicts"] = conflicts;
    }
    return json;
}

void list_views_command(AppContext& context) {
    Database& database = context.catalogue().database();
    reconcile_views(database, context.config());
    const std::vector<ViewInfo> views = list_views(database);
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& info : views) list.push_back(view_json(info, false));
        console.print_json(list);
        return;
    }
    if (views.empty()) {
        console.print_line("no views configured in " + context.config().file.string());
        return;
    }
    Table table({"NAME", "MEMBERS", "SNAPSHOTS", "CONFIGURED", "DESCRIPTION"});
    for (const auto& info : views)
        table.add_row({info.name, member_list(info), std::to_string(info.snapshots.size()),
                       info.configured ? "yes" : "no (kept for snapshots)", info.description});
    console.print_table(table);
}

void show_view_command(AppContext& context, const std::string& name) {
    Database& database = context.catalogue().database();
    reconcile_views(database, context.config());
    if (!find_view_row(database, name)) context.config().view(name);  // throws "unknown view"
    const ViewInfo info = show_view(database, name);
    Console& console = context.console();
    if (console.json()) {
        console.print_json(view_json(info, true));
        return;
    }
    KeyValueList list;
    list.add("view", info.name);
    list.add("description", info.description.empty() ? "-" : info.description);
    list.add("configured", info.configured ? "yes" : "no (removed from config, kept for its snapshots)");
    list.add("packages", std::to_string(info.package_count) + " (" + format_bytes(info.package_bytes) + ", union of members)");
    const std::string snapshots = join(info.snapshots, ", ");
    list.add("snapshots", snapshots.empty() ? "-" : snapshots);
    list.add("conflicts", std::to_string(info.conflicts.size()));
    list.print(std::cout);
    console.print_line("");
    Table members({"POS", "REPO", "LAST SYNC", "PACKAGES", "SIZE"});
    for (const auto& member : info.members)
        members.add_row({std::to_string(member.position), member.repo_id, format_time_or(member.last_sync_at, "never"),
                         std::to_string(member.package_count), format_bytes(member.package_bytes)});
    console.print_table(members);
    if (info.conflicts.empty()) return;
    console.print_line("");
    console.print_line("file name conflicts (the first member in view order is served):");
    Table conflicts({"FILE", "SERVED FROM", "SHADOWED"});
    for (const auto& conflict : info.conflicts)
        conflicts.add_row({conflict.filename, conflict.winner_repo_id, conflict.shadowed_repo_id});
    console.print_table(conflicts);
}

}  // namespace

void register_view_commands(CLI::App& app, AppContext& context) {
    auto* view = app.add_subcommand("view", "Views: unions of repositories, from the config");
    view->require_subcommand(1);
    view->add_subcommand("list", "List views")->callback([&context] { list_views_command(context); });
    auto* show = view->add_subcommand("show", "Show one view: members, packages, snapshots, conflicts");
    auto name = std::make_shared<std::string>();
    show->add_option("--name", *name, "View name")->required();
    show->callback([&context, name] { show_view_command(context, *name); });
}

}  // namespace chantal::cli
