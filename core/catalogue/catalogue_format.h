// The catalogue as portable JSON (db export / db import): which tables, in
// which order, and how a row names the rows it references.
//
// A row never carries a rowid. A reference column (repository_id,
// content_id, ...) becomes a key without "_id" holding the referenced row's
// natural key: "repository": "rhel9-baseos", "content": "<sha256>",
// "package": ["sha256", "<pkgid>"], "snapshot": ["rhel9-baseos", "2024-01"],
// "view": "all", "view_snapshot": ["all", "2024-01"]; null for a NULL
// reference. Every other column (except "id") is copied under its own name,
// taken from the live schema, so a column added by a migration is exported
// without touching this file. BLOB columns (per-package XML) are strings.
//
// Rows are ordered by each table's natural key, then by every other column,
// so export -> import -> export gives the same bytes whatever the rowids.
#pragma once

#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"

namespace chantal {

inline constexpr const char* kCatalogueExportFormat = "chantal-catalogue";

// How rows of one referenced table are named.
struct ReferenceKind {
    std::string json_key;                  // "snapshot"
    std::vector<std::string> export_sql;   // one SQL expression per key part; "$" stands for the id
    std::string lookup_sql;                // SELECT id ... WHERE part1 = ?1 AND part2 = ?2
};

struct ReferenceColumn {
    std::string column;                    // "snapshot_id"
    const ReferenceKind* kind;
};

struct CatalogueTableFormat {
    std::string name;
    std::vector<ReferenceColumn> references;
    // Natural key, as column names of this table (reference columns sort by
    // their natural key); the remaining columns follow as tie-breakers.
    std::vector<std::string> natural_key;
};

// Every catalogue table, parents before children (import order).
const std::vector<CatalogueTableFormat>& catalogue_table_formats();

// A column of a live table, from PRAGMA table_info.
struct LiveColumn {
    std::string name;
    std::string declared_type;  // "INTEGER", "TEXT", "BLOB", ...
    bool not_null = false;
    bool has_default = false;   // a DEFAULT clause: an INSERT may leave it out
};
std::vector<LiveColumn> live_columns(Database& database, const std::string& table);

// Throws Error::internal naming a catalogue table this format does not
// cover (a migration added a table: extend catalogue_table_formats()).
void check_all_tables_covered(Database& database);

}  // namespace chantal
