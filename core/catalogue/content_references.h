// Who references a content item: the trees of the catalogue.
//
// A content item (one pool file) is *referenced* when a repository's latest
// state (repository_contents), a snapshot (snapshot_contents), a generated
// repodata record (generated_metadata) or a retired file of a moved `latest`
// still inside its grace period (retired_tree_files) names it. Views hold content only
// through their member repositories and snapshots, so they add no reference
// of their own; ContentHolderFinder still names them, because an admin with
// a bad file wants to know every tree that serves it.
//
// Used by db verify, db stats and pool cleanup, so "referenced" means the
// same thing everywhere.
//
// Thread safety: a ContentHolderFinder belongs to the thread of its Database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_address.h"

namespace chantal {

// SELECT yielding one column, the id of every referenced content item (with
// duplicates removed). Use as a subquery: "... WHERE id IN (" + sql + ")".
inline constexpr std::string_view kReferencedContentIdsSql =
    "SELECT content_id FROM repository_contents "
    "UNION SELECT content_id FROM snapshot_contents "
    "UNION SELECT content_id FROM generated_metadata "
    "UNION SELECT content_id FROM retired_tree_files";

// SQL expression, true when the content item whose id is `id_expression`
// (e.g. "i.id" or "?1") is referenced; uses the content_id indexes, so it is
// cheap per row.
std::string content_is_referenced_sql(std::string_view id_expression);

// One place that holds a content item: a tree that serves it, the
// generated metadata of a tree digest, or a moved latest's grace period.
struct ContentHolder {
    enum class Kind { tree, generated_metadata, retired };
    Kind kind = Kind::tree;
    TreeAddress tree;           // tree: the repository or view tree that serves it
    std::string via_repo_id;    // tree, a view's: the member repository that provides it
    std::string tree_digest;    // generated_metadata
    std::string retired_from;   // retired: the tree it left ("repos/ID/latest")
    std::string path;           // path inside that tree

    // "repo rhel9-baseos latest: Packages/b/bash.rpm",
    // "repo rhel9-baseos snapshot 2024-01: ...", "view all latest (via repo X): ...",
    // "view all snapshot N (via repo X): ...", "generated metadata DIGEST: ...",
    // "retired from repos/ID/latest: ...".
    std::string describe() const;
};

// "repos/ID/latest/PATH" and the like: the FUSE/export tree path of a holder.
// For views this is the generated tree's path (Packages/<c>/<file>); for
// generated metadata, its path in the trees of that digest.
std::string tree_path_of(const ContentHolder& holder);

// Finds the holders of content items. A view tree holds a package file only
// where it serves it (view_union.h: a file an earlier member shadows is not
// held by the view), once, via the member that provides it.
class ContentHolderFinder {
public:
    explicit ContentHolderFinder(Database& database);
    // Every holder of the content item, ordered by kind, then names, then path.
    std::vector<ContentHolder> find(std::int64_t content_id);

private:
    Database& database_;
    Statement filename_;
    Statement repository_latest_;
    Statement snapshots_;
    Statement view_latest_;
    Statement view_snapshots_;
    Statement generated_;
    Statement retired_;
};

}  // namespace chantal
