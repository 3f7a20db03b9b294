// Brings the catalogue's views in line with the config's `views:`.
//
// Every command that works with views calls this first, so `snapshot create
// --view` works on a fresh catalogue:
//   - a configured view gets a row (configured = 1), its description, and its
//     member list in config order (positions 0, 1, ...);
//   - member repositories missing from the catalogue get their row
//     (upsert_repository), still with an empty latest state;
//   - a view no longer in the config keeps its row with configured = 0 while
//     view snapshots of it exist (they stay listable, showable, deletable),
//     and is deleted otherwise.
// When the catalogue already matches, nothing is written (no write lock taken).
// Otherwise all changes happen in one transaction.
#pragma once

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"

namespace chantal {

struct ViewReconcileResult {
    int created = 0;       // views added to the catalogue
    int updated = 0;       // description or members changed, or configured again
    int unconfigured = 0;  // removed from config, kept for their snapshots
    int deleted = 0;       // removed from config and without snapshots
    bool changed() const { return created + updated + unconfigured + deleted > 0; }
};

ViewReconcileResult reconcile_views(Database& database, const Config& config);

}  // namespace chantal
