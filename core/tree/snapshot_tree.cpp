#include "core/tree/snapshot_tree.h"

#include "core/base/error.h"

namespace chantal {
namespace {

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

std::string TreeRef::describe() const {
    const std::string owner = (is_view() ? "view " : "repository ") + in_quotes(owner_name);
    return is_latest() ? owner + " latest" : owner + " snapshot " + in_quotes(snapshot_name);
}

TreeRef resolve_repository_tree(Database& database, const std::string& repo_id, std::string_view snapshot_name) {
    TreeRef tree;
    tree.owner_name = repo_id;
    tree.snapshot_name = std::string(snapshot_name);
    Statement repository = database.prepare("SELECT id FROM repositories WHERE repo_id = ?1");
    repository.bind(1, repo_id);
    if (!repository.step())
        throw Error::not_found("repository " + in_quotes(repo_id) + " is not in the catalogue (never synced)");
    tree.owner_row = repository.column_int64(0);
    if (snapshot_name == kLatestName) {
        tree.kind = TreeKind::repository_latest;
        return tree;
    }
    Statement snapshot = database.prepare("SELECT id FROM snapshots WHERE repository_id = ?1 AND name = ?2");
    snapshot.bind(1, tree.owner_row).bind(2, snapshot_name);
    if (!snapshot.step())
        throw Error::not_found("repository " + in_quotes(repo_id) + " has no snapshot " + in_quotes(snapshot_name));
    tree.kind = TreeKind::repository_snapshot;
    tree.snapshot_row = snapshot.column_int64(0);
    return tree;
}

TreeRef resolve_view_tree(Database& database, const std::string& view, std::string_view snapshot_name) {
    TreeRef tree;
    tree.owner_name = view;
    tree.snapshot_name = std::string(snapshot_name);
    Statement row = database.prepare("SELECT id FROM views WHERE name = ?1");
    row.bind(1, view);
    if (!row.step()) throw Error::not_found("unknown view " + in_quotes(view));
    tree.owner_row = row.column_int64(0);
    if (snapshot_name == kLatestName) {
        tree.kind = TreeKind::view_latest;
        return tree;
    }
    Statement snapshot = database.prepare("SELECT id FROM view_snapshots WHERE view_id = ?1 AND name = ?2");
    snapshot.bind(1, tree.owner_row).bind(2, snapshot_name);
    if (!snapshot.step()) throw Error::not_found("view " + in_quotes(view) + " has no snapshot " + in_quotes(snapshot_name));
    tree.kind = TreeKind::view_snapshot;
    tree.snapshot_row = snapshot.column_int64(0);
    return tree;
}

std::string format_evr(std::uint64_t epoch, std::string_view version, std::string_view release) {
    std::string evr = epoch ? std::to_string(epoch) + ":" : std::string();
    evr.append(version).append("-").append(release);
    return evr;
}

TreePackage read_tree_package(const Statement& row, int first_column) {
    const int c = first_column;
    TreePackage package;
    package.package_id = row.column_int64(c);
    package.content_id = row.column_int64(c + 1);
    package.name = row.column_text(c + 2);
    package.epoch = static_cast<std::uint64_t>(row.column_int64(c + 3));
    package.version = row.column_text(c + 4);
    package.release = row.column_text(c + 5);
    package.arch = row.column_text(c + 6);
    package.sha256 = row.column_text(c + 7);
    package.filename = row.column_text(c + 8);
    package.size = static_cast<std::uint64_t>(row.column_int64(c + 9));
    package.path = row.column_text(c + 10);
    package.repo_id = row.column_text(c + 11);
    return package;
}

std::string TreePackage::evr() const { return format_evr(epoch, version, release); }

std::string TreePackage::nevra() const { return name + "-" + evr() + "." + arch; }

}  // namespace chantal
