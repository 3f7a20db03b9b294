// db export: the whole catalogue as JSON (format in core/catalogue/catalogue_format.h).
//
//   {"format": "chantal-catalogue", "schema_version": 1,
//    "tables": {"repositories": [ {...}, ... ], "content_items": [...], ...}}
//
// One row per line, tables in import order, rows in natural-key order, so
// the output is stable and diffs well. Reads inside one read transaction:
// a consistent picture even while a sync writes. Streams row by row; memory
// does not grow with the catalogue.
#pragma once

#include <iosfwd>

#include "core/catalogue/sqlite.h"

namespace chantal {

// Throws Error::unsupported when a BLOB is not UTF-8 text (naming the row),
// Error::corrupt when a reference points at a missing row.
void export_catalogue(Database& database, std::ostream& out);

}  // namespace chantal
