// db status | db upgrade | db init: the catalogue's schema version against
// the migrations of this build (core/catalogue/schema.h).
//
// Thread safety: free functions; each opens its own connection.
#pragma once

#include <filesystem>
#include <vector>

#include "core/catalogue/schema.h"

namespace chantal {

struct SchemaStatus {
    std::filesystem::path file;
    bool exists = false;
    int version = 0;                  // the catalogue's user_version (0: no catalogue yet)
    int expected = 0;                 // the newest migration of this build
    std::vector<Migration> pending;   // newer than version, ascending; empty: current
};

// Reads the catalogue's version without changing anything (read-only
// connection, no migration). A missing file is reported (exists false, every
// migration pending), not thrown. Throws Error::corrupt (not a catalogue),
// Error::unsupported (schema newer than this build).
SchemaStatus read_schema_status(const std::filesystem::path& file);

struct SchemaUpgrade {
    int from = 0;                     // version before
    int to = 0;                       // version after
    std::vector<Migration> applied;   // ascending; empty: it was current
};

// Applies the pending migrations (each in its own transaction). The file
// must exist: Error::not_found otherwise ("run chantal db init").
SchemaUpgrade upgrade_schema(const std::filesystem::path& file);

// Creates the catalogue (and its directory) when missing and brings it to
// the current schema; returns whether it was created.
bool create_catalogue(const std::filesystem::path& file);

}  // namespace chantal
