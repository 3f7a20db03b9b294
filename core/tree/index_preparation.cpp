#include "core/tree/index_preparation.h"

#include <algorithm>
#include <chrono>

#include "core/base/file_util.h"
#include "core/tree/package_format.h"
#include "core/tree/retired_files.h"
#include "core/tree/tree.h"

namespace chantal {

std::vector<TreeAddress> latest_trees_moved_by(const Config& config, const std::vector<std::string>& repo_ids) {
    std::vector<TreeAddress> trees;
    for (const auto& repo_id : repo_ids) trees.push_back(TreeAddress::repo_latest(repo_id));
    for (const auto& view : config.views) {
        const bool has_member = std::any_of(view.repos.begin(), view.repos.end(), [&](const std::string& member) {
            return std::find(repo_ids.begin(), repo_ids.end(), member) != repo_ids.end();
        });
        if (has_member) trees.push_back(TreeAddress::view_latest(view.name));
    }
    return trees;
}

namespace {

// nullopt: a mirror tree, or no such tree.
std::optional<PreparedIndexes> prepare_one(Database& database, const Pool& pool, TreeSigningKeys* signing,
                                           const TreeAddress& tree) {
    const auto started = std::chrono::steady_clock::now();
    auto state = resolve_tree(database, tree);
    if (!state || !state->generated) return std::nullopt;
    attach_generation_settings(*state, signing);
    const PackageFormat& format = *state->format;
    const auto contents = open_tree_contents(database, std::move(*state));
    PreparedIndexes prepared;
    prepared.tree = tree;
    const std::string digest = format.generated_tree_digest(database, *contents);
    auto files = format.find_generated_files(database, digest);
    if (!files) {
        files = format.ensure_generated_files(database, pool, *contents, digest);
        prepared.generated = true;
    }
    // The files of the tree's previous version stay readable by name on
    // every mount for the grace period (retired_files.h).
    if (tree.is_latest()) retire_replaced_generated_files(database, format, tree.path(), *files, unix_time_now());
    prepared.files = files->files.size();
    prepared.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return prepared;
}

}  // namespace

std::vector<PreparedIndexes> prepare_generated_indexes(Database& database, const Pool& pool, TreeSigningKeys* signing,
                                                       const std::vector<TreeAddress>& trees) {
    std::vector<PreparedIndexes> result;
    for (const auto& tree : trees) {
        try {
            if (auto prepared = prepare_one(database, pool, signing, tree)) result.push_back(std::move(*prepared));
        } catch (const Error& error) {
            PreparedIndexes failed;
            failed.tree = tree;
            failed.error = error;
            result.push_back(std::move(failed));
        }
    }
    return result;
}

}  // namespace chantal
