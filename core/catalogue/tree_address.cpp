#include "core/catalogue/tree_address.h"

#include "core/base/error.h"

namespace chantal {
namespace {

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

bool names_latest(std::string_view snapshot_name) { return snapshot_name.empty() || snapshot_name == kLatestName; }

}  // namespace

TreeAddress TreeAddress::of_repository(std::string repo_id, std::string_view snapshot_name) {
    return names_latest(snapshot_name) ? repo_latest(std::move(repo_id))
                                       : repo_snapshot(std::move(repo_id), std::string(snapshot_name));
}

TreeAddress TreeAddress::of_view(std::string view, std::string_view snapshot_name) {
    return names_latest(snapshot_name) ? view_latest(std::move(view)) : view_snapshot(std::move(view), std::string(snapshot_name));
}

std::string TreeAddress::path() const {
    const std::string top = (is_view() ? "views/" : "repos/") + owner;
    return is_latest() ? top + "/latest" : top + "/snapshots/" + snapshot;
}

std::string TreeAddress::describe() const {
    const std::string named = (is_view() ? "view " : "repository ") + in_quotes(owner);
    return is_latest() ? named + " latest" : named + " snapshot " + in_quotes(snapshot);
}

TreeRows locate_tree(Database& database, const TreeAddress& tree) {
    TreeRows rows;
    if (tree.is_view()) {
        Statement view = database.prepare("SELECT id FROM views WHERE name = ?1");
        view.bind(1, tree.owner);
        if (!view.step()) throw Error::not_found("unknown view " + in_quotes(tree.owner));
        rows.owner_row = view.column_int64(0);
    } else {
        Statement repository = database.prepare("SELECT id FROM repositories WHERE repo_id = ?1");
        repository.bind(1, tree.owner);
        if (!repository.step())
            throw Error::not_found("repository " + in_quotes(tree.owner) + " is not in the catalogue (never synced)");
        rows.owner_row = repository.column_int64(0);
    }
    if (tree.is_latest()) return rows;
    Statement snapshot = database.prepare(tree.is_view()
                                              ? "SELECT id FROM view_snapshots WHERE view_id = ?1 AND name = ?2"
                                              : "SELECT id FROM snapshots WHERE repository_id = ?1 AND name = ?2");
    snapshot.bind(1, rows.owner_row).bind(2, tree.snapshot);
    if (!snapshot.step())
        throw Error::not_found((tree.is_view() ? "view " : "repository ") + in_quotes(tree.owner) + " has no snapshot " +
                               in_quotes(tree.snapshot));
    rows.snapshot_row = snapshot.column_int64(0);
    return rows;
}

TreeRows locate_snapshot(Database& database, const TreeAddress& tree) {
    const TreeRows rows = locate_tree(database, tree);
    if (tree.is_latest())
        throw Error::invalid_input(std::string("'latest' is the ") + (tree.is_view() ? "view" : "repository") +
                                   "'s current state, not a snapshot");
    return rows;
}

}  // namespace chantal
