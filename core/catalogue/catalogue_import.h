// db import: load a `db export` file into a catalogue, in one transaction.
//
// The target must be empty (no row in any table) unless replace_existing,
// which deletes every row first, in the same transaction. Every reference is
// resolved by natural key; an unknown one (a snapshot naming a repository
// the file does not have, a membership naming an unknown content item) is an
// Error::invalid_input naming it, and nothing is imported. The file's
// schema_version must equal the catalogue's (export from the same schema).
//
// Pool files are not touched: import the catalogue next to a copy of the
// pool (or run `db verify` to see what is missing).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct CatalogueImportOptions {
    bool replace_existing = false;  // --force
};

struct CatalogueImportResult {
    std::map<std::string, std::int64_t> rows_by_table;  // rows imported per table
    std::int64_t rows_replaced = 0;                      // rows deleted first (replace_existing)
};

// Rows in all catalogue tables (0: empty).
std::int64_t count_catalogue_rows(Database& database);

// Throws Error::invalid_input (not JSON, wrong format, bad row, unknown
// reference), Error::unsupported (schema version), Error::conflict (target
// not empty), Error::io (file unreadable).
CatalogueImportResult import_catalogue(Database& database, const std::filesystem::path& file,
                                       const CatalogueImportOptions& options);

}  // namespace chantal
