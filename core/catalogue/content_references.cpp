#include "core/catalogue/content_references.h"

#include <cctype>

namespace chantal {
namespace {

// The path a view's generated tree gives a file: packages by the first
// character of their file name (lowercased), metadata under repodata/.
std::string generated_tree_path(const std::string& member_path, bool is_package) {
    const auto slash = member_path.rfind('/');
    const std::string filename = slash == std::string::npos ? member_path : member_path.substr(slash + 1);
    if (!is_package) return "repodata/" + filename;
    if (filename.empty()) return "Packages/" + filename;
    const char first = static_cast<char>(std::tolower(static_cast<unsigned char>(filename[0])));
    return "Packages/" + std::string(1, first) + "/" + filename;
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
        case Kind::repository_latest: return "repo " + repo_id + " latest: " + path;
        case Kind::snapshot: return "repo " + repo_id + " snapshot " + snapshot + ": " + path;
        case Kind::view_latest: return "view " + view + " latest (via repo " + repo_id + "): " + path;
        case Kind::view_snapshot:
            return "view " + view + " snapshot " + snapshot + " (via repo " + repo_id + "): " + path;
        case Kind::generated_metadata: return "generated metadata " + tree_digest + ": " + path;
        case Kind::retired: return "retired from " + tree + ": " + path;
    }
    return path;
}

std::string tree_path_of(const ContentHolder& holder) {
    switch (holder.kind) {
        case ContentHolder::Kind::repository_latest: return "repos/" + holder.repo_id + "/latest/" + holder.path;
        case ContentHolder::Kind::snapshot:
            return "repos/" + holder.repo_id + "/snapshots/" + holder.snapshot + "/" + holder.path;
        case ContentHolder::Kind::view_latest: return "views/" + holder.view + "/latest/" + holder.path;
        case ContentHolder::Kind::view_snapshot:
            return "views/" + holder.view + "/snapshots/" + holder.snapshot + "/" + holder.path;
        case ContentHolder::Kind::generated_metadata: return holder.path;
        case ContentHolder::Kind::retired: return holder.tree + "/" + holder.path;
    }
    return holder.path;
}

ContentHolderFinder::ContentHolderFinder(Database& database)
    : repository_latest_(database,
                         "SELECT r.repo_id, c.path FROM repository_contents c JOIN repositories r ON r.id = c.repository_id "
                         "WHERE c.content_id = ?1 ORDER BY r.repo_id, c.path"),
      snapshots_(database,
                 "SELECT r.repo_id, s.name, c.path FROM snapshot_contents c JOIN snapshots s ON s.id = c.snapshot_id "
                 "JOIN repositories r ON r.id = s.repository_id WHERE c.content_id = ?1 ORDER BY r.repo_id, s.name, c.path"),
      view_latest_(database,
                   "SELECT v.name, r.repo_id, c.path, c.role FROM repository_contents c "
                   "JOIN view_members m ON m.repository_id = c.repository_id JOIN views v ON v.id = m.view_id "
                   "JOIN repositories r ON r.id = c.repository_id WHERE c.content_id = ?1 AND c.role = 'package' "
                   "ORDER BY v.name, r.repo_id, c.path"),
      view_snapshots_(database,
                      "SELECT v.name, vs.name, r.repo_id, c.path, c.role FROM snapshot_contents c "
                      "JOIN view_snapshot_members m ON m.snapshot_id = c.snapshot_id "
                      "JOIN view_snapshots vs ON vs.id = m.view_snapshot_id JOIN views v ON v.id = vs.view_id "
                      "JOIN snapshots s ON s.id = c.snapshot_id JOIN repositories r ON r.id = s.repository_id "
                      "WHERE c.content_id = ?1 AND c.role = 'package' ORDER BY v.name, vs.name, r.repo_id, c.path"),
      generated_(database,
                 "SELECT tree_digest, path FROM generated_metadata WHERE content_id = ?1 ORDER BY tree_digest, path"),
      retired_(database,
               "SELECT tree_path, path FROM retired_tree_files WHERE content_id = ?1 ORDER BY tree_path, path") {}

std::vector<ContentHolder> ContentHolderFinder::find(std::int64_t content_id) {
    std::vector<ContentHolder> holders;
    using Kind = ContentHolder::Kind;
    repository_latest_.bind(1, content_id);
    while (repository_latest_.step())
        holders.push_back({Kind::repository_latest, repository_latest_.column_text(0), "", "", "",
                           repository_latest_.column_text(1)});
    repository_latest_.reset();

    snapshots_.bind(1, content_id);
    while (snapshots_.step())
        holders.push_back({Kind::snapshot, snapshots_.column_text(0), snapshots_.column_text(1), "", "",
                           snapshots_.column_text(2)});
    snapshots_.reset();

    // A view's latest and its snapshots are generated trees: only packages
    // are served from member content; their repodata is generated.
    view_latest_.bind(1, content_id);
    while (view_latest_.step())
        holders.push_back({Kind::view_latest, view_latest_.column_text(1), "", view_latest_.column_text(0), "",
                           generated_tree_path(view_latest_.column_text(2), true)});
    view_latest_.reset();

    view_snapshots_.bind(1, content_id);
    while (view_snapshots_.step())
        holders.push_back({Kind::view_snapshot, view_snapshots_.column_text(2), view_snapshots_.column_text(1),
                           view_snapshots_.column_text(0), "", generated_tree_path(view_snapshots_.column_text(3), true)});
    view_snapshots_.reset();

    generated_.bind(1, content_id);
    while (generated_.step())
        holders.push_back({Kind::generated_metadata, "", "", "", generated_.column_text(0), generated_.column_text(1)});
    generated_.reset();

    retired_.bind(1, content_id);
    while (retired_.step()) {
        ContentHolder holder;
        holder.kind = Kind::retired;
        holder.tree = retired_.column_text(0);
        holder.path = retired_.column_text(1);
        holders.push_back(std::move(holder));
    }
    retired_.reset();
    return holders;
}

}  // namespace chantal
