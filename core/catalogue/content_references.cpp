#include "core/catalogue/content_references.h"

#include <optional>

#include "core/base/error.h"
#include "core/catalogue/tree_address.h"
#include "core/catalogue/view_union.h"

namespace chantal {
namespace {

// The holder a view tree is for a content item: the package the view serves
// under the item's file name, if it is this very item.
std::optional<ContentHolder> view_holder(Database& database, const TreeAddress& view_tree, std::int64_t content_id,
                                         std::string_view filename) {
    std::optional<ContentHolder> holder;
    for_each_view_union_package(
        database, view_members(database, view_tree),
        [&](const TreePackage& served) {
            if (served.content_id != content_id) return;
            holder = ContentHolder{ContentHolder::Kind::tree, view_tree, served.repo_id, "", "", served.path};
        },
        nullptr, filename);
    return holder;
}

}  // namespace

std::string content_is_referenced_sql(std::string_view id_expression) {
    const std::string id(id_expression);
    return "(EXISTS (SELECT 1 FROM repository_contents WHERE content_id = " + id +
           ") OR EXISTS (SELECT 1 FROM snapshot_contents WHERE content_id = " + id +
           ") OR EXISTS (SELECT 1 FROM generated_metadata WHERE content_id = " + id +
           ") OR EXISTS (SELECT 1 FROM retired_tree_files WHERE content_id = " + id + "))";
}

std::string ContentHolder::describe() const {
    switch (kind) {
        case Kind::tree: {
            const std::string state = tree.is_latest() ? " latest" : " snapshot " + tree.snapshot;
            if (tree.is_view()) return "view " + tree.owner + state + " (via repo " + via_repo_id + "): " + path;
            return "repo " + tree.owner + state + ": " + path;
        }
        case Kind::generated_metadata: return "generated metadata " + tree_digest + ": " + path;
        case Kind::retired: return "retired from " + retired_from + ": " + path;
    }
    return path;
}

std::string tree_path_of(const ContentHolder& holder) {
    switch (holder.kind) {
        case ContentHolder::Kind::tree: return holder.tree.path() + "/" + holder.path;
        case ContentHolder::Kind::generated_metadata: return holder.path;
        case ContentHolder::Kind::retired: return holder.retired_from + "/" + holder.path;
    }
    return holder.path;
}

ContentHolderFinder::ContentHolderFinder(Database& database)
    : database_(database),
      filename_(database, "SELECT filename FROM content_items WHERE id = ?1"),
      repository_latest_(database,
                         "SELECT r.repo_id, c.path FROM repository_contents c JOIN repositories r ON r.id = c.repository_id "
                         "WHERE c.content_id = ?1 ORDER BY r.repo_id, c.path"),
      snapshots_(database,
                 "SELECT r.repo_id, s.name, c.path FROM snapshot_contents c JOIN snapshots s ON s.id = c.snapshot_id "
                 "JOIN repositories r ON r.id = s.repository_id WHERE c.content_id = ?1 ORDER BY r.repo_id, s.name, c.path"),
      view_latest_(database,
                   "SELECT DISTINCT v.name FROM repository_contents c "
                   "JOIN view_members m ON m.repository_id = c.repository_id JOIN views v ON v.id = m.view_id "
                   "WHERE c.content_id = ?1 AND c.role = 'package' ORDER BY v.name"),
      view_snapshots_(database,
                      "SELECT DISTINCT v.name, vs.name FROM snapshot_contents c "
                      "JOIN view_snapshot_members m ON m.snapshot_id = c.snapshot_id "
                      "JOIN view_snapshots vs ON vs.id = m.view_snapshot_id JOIN views v ON v.id = vs.view_id "
                      "WHERE c.content_id = ?1 AND c.role = 'package' ORDER BY v.name, vs.name"),
      generated_(database,
                 "SELECT tree_digest, path FROM generated_metadata WHERE content_id = ?1 ORDER BY tree_digest, path"),
      retired_(database,
               "SELECT tree_path, path FROM retired_tree_files WHERE content_id = ?1 ORDER BY tree_path, path") {}

std::vector<ContentHolder> ContentHolderFinder::find(std::int64_t content_id) {
    std::vector<ContentHolder> holders;
    using Kind = ContentHolder::Kind;
    repository_latest_.bind(1, content_id);
    while (repository_latest_.step())
        holders.push_back({Kind::tree, TreeAddress::repo_latest(repository_latest_.column_text(0)), "", "", "",
                           repository_latest_.column_text(1)});
    repository_latest_.reset();

    snapshots_.bind(1, content_id);
    while (snapshots_.step())
        holders.push_back({Kind::tree, TreeAddress::repo_snapshot(snapshots_.column_text(0), snapshots_.column_text(1)),
                           "", "", "", snapshots_.column_text(2)});
    snapshots_.reset();

    // A view's latest and its snapshots are generated trees: only packages
    // are served from member content; their repodata is generated.
    filename_.bind(1, content_id);
    const std::string filename = filename_.step() ? filename_.column_text(0) : std::string();
    filename_.reset();
    std::vector<TreeAddress> views;
    view_latest_.bind(1, content_id);
    while (view_latest_.step()) views.push_back(TreeAddress::view_latest(view_latest_.column_text(0)));
    view_latest_.reset();
    view_snapshots_.bind(1, content_id);
    while (view_snapshots_.step())
        views.push_back(TreeAddress::view_snapshot(view_snapshots_.column_text(0), view_snapshots_.column_text(1)));
    view_snapshots_.reset();
    for (const auto& view : views)
        if (auto holder = view_holder(database_, view, content_id, filename)) holders.push_back(std::move(*holder));

    generated_.bind(1, content_id);
    while (generated_.step())
        holders.push_back({Kind::generated_metadata, {}, "", generated_.column_text(0), "", generated_.column_text(1)});
    generated_.reset();

    retired_.bind(1, content_id);
    while (retired_.step()) {
        ContentHolder holder;
        holder.kind = Kind::retired;
        holder.retired_from = retired_.column_text(0);
        holder.path = retired_.column_text(1);
        holders.push_back(std::move(holder));
    }
    retired_.reset();
    return holders;
}

}  // namespace chantal
