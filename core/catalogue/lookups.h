// Named lookups: the catalogue row of a repository by repo id, of a view by
// name, and the counts other layers report. Read only; throw chantal::Error
// only when the catalogue cannot be read. Thread safety: as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"

namespace chantal {

// The row id of repo_id, if the catalogue has it (a configured repository
// gets its row at its first sync, or when a view names it).
std::optional<std::int64_t> find_repository_row(Database& database, std::string_view repo_id);
// The "never synced" rule, the one place it is written: a repository has a
// latest tree once a sync has switched it (latest_changed_at is set) or its
// latest holds rows (catalogues older than latest_changed_at). A row made
// for a view member or a failed first sync has none.
// has_latest_sql is the same test as an SQL expression over the
// repositories row aliased `alias`.
bool has_latest(Database& database, std::int64_t repository_row);
std::string has_latest_sql(std::string_view alias);
// The row id of a view, if the catalogue has it (views are reconciled from
// the config; an unconfigured one stays while its snapshots exist).
std::optional<std::int64_t> find_view_row(Database& database, std::string_view name);
// content_items rows: the files the pool should hold.
std::int64_t count_content_items(Database& database);

}  // namespace chantal
