// chantal snapshot create | list | show | diff | copy | delete | content, for
// a repository (--repo-id) or a view (--view). diff and delete also take the
// Python Chantal's positional forms (diff A B, delete NAME). The catalogue
// work is in core/snapshots/ and core/query/; this file parses and prints.
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/tree_diff_output.h"
#include "cli/tree_package_list.h"
#include "cli/tree_target.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/repository_records.h"
#include "core/query/diff_trees.h"
#include "core/query/snapshot_query.h"
#include "core/snapshots/snapshot_create.h"
#include "core/snapshots/snapshot_delete.h"
#include "core/snapshots/view_reconcile.h"

namespace chantal::cli {
namespace {

nlohmann::json used_by_json(const std::vector<ViewSnapshotName>& used_by) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& user : used_by) list.push_back({{"view", user.view}, {"name", user.name}});
    return list;
}

nlohmann::json snapshot_json(const SnapshotInfo& info) {
    return {{"repo_id", info.repo_id},
            {"name", info.name},
            {"description", info.description},
            {"created", format_utc_time(info.created_at)},
            {"packages", info.package_count},
            {"package_bytes", info.package_bytes},
            {"metadata_files", info.metadata_count},
            {"tree", info.generated_tree ? "generated" : "mirror"},
            {"repomd_sha256", info.repomd_sha256 ? nlohmann::json(*info.repomd_sha256) : nullptr},
            {"used_by", used_by_json(info.used_by)}};
}

nlohmann::json view_snapshot_json(const ViewSnapshotInfo& info) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& member : info.members)
        members.push_back({{"position", member.position},
                           {"repo_id", member.repo_id},
                           {"snapshot", member.snapshot_name},
                           {"packages", member.package_count},
                           {"package_bytes", member.package_bytes}});
    return {{"view", info.view},
            {"name", info.name},
            {"description", info.description},
            {"created", format_utc_time(info.created_at)},
            {"packages", info.package_count},
            {"package_bytes", info.package_bytes},
            {"members", members}};
}

std::string join_used_by(const std::vector<ViewSnapshotName>& used_by) {
    std::string text;
    for (const auto& user : used_by) text += (text.empty() ? "" : ", ") + user.view + "/" + user.name;
    return text;
}

void print_repository_snapshots(Console& console, const std::vector<SnapshotInfo>& snapshots) {
    Table table({"REPO", "NAME", "CREATED", "PACKAGES", "SIZE", "USED BY", "DESCRIPTION"});
    for (const auto& info : snapshots)
        table.add_row({info.repo_id, info.name, format_utc_time(info.created_at), std::to_string(info.package_count),
                       format_bytes(info.package_bytes), join_used_by(info.used_by), info.description});
    console.print_table(table);
}

void print_view_snapshots(Console& console, const std::vector<ViewSnapshotInfo>& snapshots) {
    Table table({"VIEW", "NAME", "CREATED", "MEMBERS", "PACKAGES", "DESCRIPTION"});
    for (const auto& info : snapshots)
        table.add_row({info.view, info.name, format_utc_time(info.created_at), std::to_string(info.members.size()),
                       std::to_string(info.package_count), info.description});
    console.print_table(table);
}

// --- create -----------------------------------------------------------------

nlohmann::json created_json(const SnapshotCreated& created) {
    return {{"repo_id", created.repo_id}, {"name", created.name}, {"packages", created.package_count}, {"files", created.file_count}};
}

void print_view_snapshot_created(Console& console, const ViewSnapshotCreated& created, const std::string& verb) {
    if (console.json()) {
        nlohmann::json members = nlohmann::json::array();
        for (const auto& member : created.members) members.push_back(created_json(member));
        console.print_json({{"view", created.view}, {"name", created.name}, {"members", members}});
        return;
    }
    console.summary(verb + " snapshot '" + created.name + "' of view '" + created.view + "' (" +
                    std::to_string(created.members.size()) + " member snapshots):");
    if (console.verbosity() == Verbosity::quiet) return;
    Table table({"REPO", "SNAPSHOT", "PACKAGES", "FILES"});
    for (const auto& member : created.members)
        table.add_row({member.repo_id, member.name, std::to_string(member.package_count), std::to_string(member.file_count)});
    console.print_table(table);
}

void print_snapshot_created(Console& console, const SnapshotCreated& created, const std::string& verb) {
    if (console.json()) {
        console.print_json(created_json(created));
        return;
    }
    console.summary(verb + " snapshot '" + created.name + "' of repository '" + created.repo_id + "': " +
                    std::to_string(created.package_count) + " packages, " + std::to_string(created.file_count) + " files");
}

void create_snapshot(AppContext& context, const TreeTarget& target, const std::string& name, const std::string& description) {
    Database& database = prepared_catalogue(context, target);
    if (target.is_view())
        print_view_snapshot_created(context.console(), create_view_snapshot(database, target.view, name, description), "created");
    else
        print_snapshot_created(context.console(), create_repository_snapshot(database, target.repo_id, name, description),
                               "created");
}

// --- list / show ------------------------------------------------------------

void list_snapshots(AppContext& context, const TreeTarget& target) {
    Database& database = prepared_catalogue(context, target);
    Console& console = context.console();
    const bool show_repositories = !target.is_view();
    const bool show_views = target.repo_id.empty();
    std::vector<SnapshotInfo> repository_snapshots;
    std::vector<ViewSnapshotInfo> view_snapshots;
    if (show_repositories)
        repository_snapshots = list_repository_snapshots(
            database, target.repo_id.empty() ? std::nullopt : std::optional<std::string>(target.repo_id));
    if (show_views)
        view_snapshots =
            list_view_snapshots(database, target.view.empty() ? std::nullopt : std::optional<std::string>(target.view));

    if (console.json()) {
        nlohmann::json repositories = nlohmann::json::array();
        for (const auto& info : repository_snapshots) repositories.push_back(snapshot_json(info));
        nlohmann::json views = nlohmann::json::array();
        for (const auto& info : view_snapshots) views.push_back(view_snapshot_json(info));
        if (!target.repo_id.empty())
            console.print_json(repositories);
        else if (target.is_view())
            console.print_json(views);
        else
            console.print_json({{"repository_snapshots", repositories}, {"view_snapshots", views}});
        return;
    }
    if (show_repositories) {
        if (repository_snapshots.empty())
            console.print_line(target.repo_id.empty() ? "no repository snapshots"
                                                      : "repository '" + target.repo_id + "' has no snapshots");
        else
            print_repository_snapshots(console, repository_snapshots);
    }
    if (show_repositories && show_views) console.print_line("");
    if (show_views) {
        if (view_snapshots.empty())
            console.print_line(target.view.empty() ? "no view snapshots" : "view '" + target.view + "' has no snapshots");
        else
            print_view_snapshots(console, view_snapshots);
    }
}

void show_snapshot(AppContext& context, const TreeTarget& target, const std::string& name) {
    Database& database = prepared_catalogue(context, target);
    Console& console = context.console();
    if (target.is_view()) {
        ViewSnapshotInfo info = show_view_snapshot(database, target.view, name);
        if (console.json()) {
            console.print_json(view_snapshot_json(info));
            return;
        }
        KeyValueList list;
        list.add("view", info.view);
        list.add("snapshot", info.name);
        list.add("description", info.description.empty() ? "-" : info.description);
        list.add("created", format_utc_time(info.created_at));
        list.add("members", std::to_string(info.members.size()));
        list.add("packages", std::to_string(info.package_count) + " (" + format_bytes(info.package_bytes) + ")");
        list.print(std::cout);
        Table table({"POS", "REPO", "SNAPSHOT", "PACKAGES", "SIZE"});
        for (const auto& member : info.members)
            table.add_row({std::to_string(member.position), member.repo_id, member.snapshot_name,
                           std::to_string(member.package_count), format_bytes(member.package_bytes)});
        console.print_line("");
        console.print_table(table);
        return;
    }
    SnapshotInfo info = show_repository_snapshot(database, target.repo_id, name);
    if (console.json()) {
        console.print_json(snapshot_json(info));
        return;
    }
    KeyValueList list;
    list.add("repository", info.repo_id);
    list.add("snapshot", info.name);
    list.add("description", info.description.empty() ? "-" : info.description);
    list.add("created", format_utc_time(info.created_at));
    list.add("packages", std::to_string(info.package_count) + " (" + format_bytes(info.package_bytes) + ")");
    list.add("metadata files", std::to_string(info.metadata_count));
    list.add("tree", info.generated_tree ? "generated repodata" : "mirror (upstream repodata)");
    list.add("upstream repomd", info.repomd_sha256.value_or("-"));
    list.add("used by", info.used_by.empty() ? "-" : join_used_by(info.used_by));
    list.print(std::cout);
}

// --- diff -------------------------------------------------------------------

void diff_snapshots(AppContext& context, const TreeTarget& target, const std::string& from, const std::string& to) {
    Database& database = prepared_catalogue(context, target);
    const TreeAddress from_tree = target.tree(from);
    const TreeAddress to_tree = target.tree(to);
    const TreeDiff diff = diff_trees(database, from_tree, to_tree);
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json advisories = nlohmann::json::array();
        for (const auto& advisory : diff.advisories)
            advisories.push_back(
                {{"id", advisory.id}, {"type", advisory.type}, {"severity", advisory.severity}, {"title", advisory.title}});
        nlohmann::json result = {{"from", from_tree.describe()}, {"to", to_tree.describe()}};
        result.update(diff_json(diff));
        result["advisories"] = advisories;
        console.print_json(result);
        return;
    }
    console.print_line("from " + from_tree.describe() + " to " + to_tree.describe() + ":");
    console.print_line("");
    print_diff_tables(console, diff);
    if (!diff.advisories.empty()) {
        console.print_line("advisories (" + std::to_string(diff.advisories.size()) + "):");
        Table table({"ID", "TYPE", "SEVERITY", "TITLE"});
        for (const auto& advisory : diff.advisories)
            table.add_row({advisory.id, advisory.type, advisory.severity.empty() ? "-" : advisory.severity, advisory.title});
        console.print_table(table);
        console.print_line("");
    }
    console.print_line(diff_counts_text(diff));
}

// --- copy / delete ----------------------------------------------------------

// description: the copy's; unset, the source's.
void copy_snapshot(AppContext& context, const TreeTarget& target, const std::string& source, const std::string& destination,
                   const std::optional<std::string>& description) {
    Database& database = prepared_catalogue(context, target);
    if (target.is_view())
        print_view_snapshot_created(context.console(),
                                    copy_view_snapshot(database, target.view, source, destination, description),
                                    "copied '" + source + "' to");
    else
        print_snapshot_created(context.console(),
                               copy_repository_snapshot(database, target.repo_id, source, destination, description),
                               "copied '" + source + "' to");
}

void delete_snapshot(AppContext& context, const TreeTarget& target, const std::string& name, bool force) {
    Database& database = prepared_catalogue(context, target);
    const DeleteOutcome outcome = target.is_view() ? delete_view_snapshot(database, target.view, name)
                                                   : delete_repository_snapshot(database, target.repo_id, name, force);
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"deleted", outcome.deleted}, {"broken", outcome.broken}, {"kept", outcome.kept}});
        return;
    }
    for (const auto& item : outcome.deleted) console.summary("deleted " + item);
    for (const auto& item : outcome.kept) console.summary("kept " + item + " (another view snapshot uses it)");
    for (const auto& item : outcome.broken) console.warning(item + " no longer contains repository '" + target.repo_id + "'");
    console.info("pool files stay until 'chantal pool cleanup'");
}

// A value given either as an option or as a positional argument (the
// Python Chantal's form): exactly one of the two.
void require_one_form(const std::string& value, const char* option, const char* positional) {
    if (value.empty())
        throw CLI::RequiredError(std::string(option) + " or the positional " + positional);
}

PackageListFormat package_list_format(const std::string& format, const Console& console) {
    if (format == "csv") return PackageListFormat::csv;
    if (format == "json" || (format.empty() && console.json())) return PackageListFormat::json;
    return PackageListFormat::table;
}

}  // namespace

void register_snapshot_commands(CLI::App& app, AppContext& context) {
    auto* snapshot = app.add_subcommand("snapshot", "Immutable snapshots of repositories and views");
    snapshot->require_subcommand(1);

    {
        auto* create = snapshot->add_subcommand("create", "Freeze the current state of a repository or view");
        auto target = std::make_shared<TreeTarget>();
        auto name = std::make_shared<std::string>();
        auto description = std::make_shared<std::string>();
        add_tree_target_options(create, *target);
        create->add_option("--name", *name, "Snapshot name")->required();
        create->add_option("--description", *description, "Free text");
        create->callback([&context, target, name, description] { create_snapshot(context, *target, *name, *description); });
    }
    {
        auto* list = snapshot->add_subcommand("list", "List snapshots (all, or of one repository or view)");
        auto target = std::make_shared<TreeTarget>();
        add_tree_target_options(list, *target, true);
        list->callback([&context, target] { list_snapshots(context, *target); });
    }
    {
        auto* show = snapshot->add_subcommand("show", "Show one snapshot");
        auto target = std::make_shared<TreeTarget>();
        auto name = std::make_shared<std::string>();
        add_tree_target_options(show, *target);
        show->add_option("--name", *name, "Snapshot name")->required();
        show->callback([&context, target, name] { show_snapshot(context, *target, *name); });
    }
    {
        auto* diff = snapshot->add_subcommand("diff", "Packages added, removed, upgraded and downgraded between two states");
        auto target = std::make_shared<TreeTarget>();
        auto from = std::make_shared<std::string>();
        auto to = std::make_shared<std::string>();
        add_tree_target_options(diff, *target);
        auto* from_option = diff->add_option("--from", *from, "Snapshot name or 'latest'");
        auto* to_option = diff->add_option("--to", *to, "Snapshot name or 'latest'");
        diff->add_option("FROM", *from, "Same as --from")->excludes(from_option);
        diff->add_option("TO", *to, "Same as --to")->excludes(to_option);
        diff->callback([&context, target, from, to] {
            require_one_form(*from, "--from", "FROM");
            require_one_form(*to, "--to", "TO");
            diff_snapshots(context, *target, *from, *to);
        });
    }
    {
        auto* copy = snapshot->add_subcommand("copy", "Copy a snapshot under a new name (promotion)");
        auto target = std::make_shared<TreeTarget>();
        auto source = std::make_shared<std::string>();
        auto destination = std::make_shared<std::string>();
        add_tree_target_options(copy, *target);
        copy->add_option("--source", *source, "Existing snapshot")->required();
        copy->add_option("--target", *destination, "New snapshot name")->required();
        auto description = std::make_shared<std::string>();
        auto* description_option =
            copy->add_option("--description", *description, "Free text (default: the source's description)");
        copy->callback([&context, target, source, destination, description, description_option] {
            copy_snapshot(context, *target, *source, *destination,
                          description_option->count() ? std::optional<std::string>(*description) : std::nullopt);
        });
    }
    {
        auto* remove = snapshot->add_subcommand("delete", "Delete a snapshot (pool files stay until pool cleanup)");
        auto target = std::make_shared<TreeTarget>();
        auto name = std::make_shared<std::string>();
        auto force = std::make_shared<bool>(false);
        add_tree_target_options(remove, *target);
        auto* name_option = remove->add_option("--name", *name, "Snapshot name");
        remove->add_option("NAME", *name, "Same as --name")->excludes(name_option);
        remove->add_flag("--force", *force, "Delete a repository snapshot even while view snapshots use it");
        remove->callback([&context, target, name, force] {
            require_one_form(*name, "--name", "NAME");
            delete_snapshot(context, *target, *name, *force);
        });
    }
    {
        auto* content = snapshot->add_subcommand("content", "The packages of a snapshot (as package list --snapshot)");
        auto target = std::make_shared<TreeTarget>();
        auto name = std::make_shared<std::string>();
        auto format = std::make_shared<std::string>();
        add_tree_target_options(content, *target);
        content->add_option("--snapshot", *name, "Snapshot name (or 'latest')")->required();
        content->add_option("--format", *format, "Output format (default: the global --format)")
            ->check(CLI::IsMember({"table", "json", "csv"}));
        content->callback([&context, target, name, format] {
            print_tree_packages(context, *target, *name, package_list_format(*format, context.console()));
        });
    }
}

}  // namespace chantal::cli
