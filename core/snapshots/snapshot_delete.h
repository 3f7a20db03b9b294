// Deleting snapshots. Only catalogue rows go; pool files stay until
// `pool cleanup` finds them unreferenced.
//
// A repository snapshot that is a member of a view snapshot is refused
// (Error::conflict naming the view snapshots) unless force is set; with
// force the snapshot is deleted and each of those view snapshots loses that
// member (the outcome's `broken` list says which). Deleting a view snapshot
// deletes its member snapshots too, except members that another view
// snapshot also uses (listed in `kept`). A view that is no longer configured
// is removed with its last snapshot.
//
// Each call is one transaction. Thread safety: as Database.
#pragma once

#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct DeleteOutcome {
    std::vector<std::string> deleted;  // "repository 'base' snapshot 'x'", "view 'all' snapshot 'x'"
    std::vector<std::string> broken;   // view snapshots that lost a member (force)
    std::vector<std::string> kept;     // member snapshots kept because another view snapshot uses them
};

DeleteOutcome delete_repository_snapshot(Database& database, const std::string& repo_id, const std::string& name,
                                         bool force);
DeleteOutcome delete_view_snapshot(Database& database, const std::string& view, const std::string& name);

}  // namespace chantal
