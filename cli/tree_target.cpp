#include "cli/tree_target.h"

#include "core/base/error.h"
#include "core/catalogue/lookups.h"
#include "core/snapshots/view_reconcile.h"

namespace chantal::cli {

TreeAddress TreeTarget::tree(std::string_view snapshot_name) const {
    return is_view() ? TreeAddress::of_view(view, snapshot_name) : TreeAddress::of_repository(repo_id, snapshot_name);
}

void add_tree_target_options(CLI::App* command, TreeTarget& target, bool optional) {
    auto* group = command->add_option_group("target", "What the command works on");
    group->add_option("--repo-id", target.repo_id, "Repository id");
    group->add_option("--view", target.view, "View name");
    if (optional)
        group->require_option(0, 1);
    else
        group->require_option(1);
}

Database& prepared_catalogue(AppContext& context, const TreeTarget& target) {
    Database& database = context.catalogue().database();
    reconcile_views(database, context.config());
    const auto row = target.repo_id.empty() ? std::nullopt : find_repository_row(database, target.repo_id);
    if (!target.repo_id.empty() && (!row || !has_latest(database, *row))) {
        context.config().repository(target.repo_id);  // throws for an unknown repository
        throw Error::not_found("repository '" + target.repo_id + "' has never been synced; run chantal repo sync --repo-id " +
                               target.repo_id);
    }
    if (target.is_view()) {
        if (!find_view_row(database, target.view)) context.config().view(target.view);  // throws for an unknown view
    }
    return database;
}

}  // namespace chantal::cli
