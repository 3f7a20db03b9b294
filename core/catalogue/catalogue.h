// Catalogue: the SQLite file that knows every repository, pool file,
// snapshot and view. Opening applies pending migrations; a catalogue from a
// newer Chantal is refused.
//
// Thread safety: one Catalogue per thread (it owns one connection).
#pragma once

#include <filesystem>
#include <span>

#include "core/catalogue/schema.h"
#include "core/catalogue/sqlite.h"

namespace chantal {

class Catalogue {
public:
    enum class Mode {
        create,       // create the file if missing, migrate (init)
        read_write,   // must exist, migrate if older
        read_only,    // must exist and be current; never writes (FUSE daemon, reports)
    };

    // Throws Error::not_found (missing file, "run chantal init"), Error::corrupt
    // (not a catalogue), Error::unsupported (schema newer than this build).
    static Catalogue open(const std::filesystem::path& file, Mode mode);
    // Same with an explicit migration list (tests).
    static Catalogue open(const std::filesystem::path& file, Mode mode, std::span<const Migration> migrations);

    // open() in two steps, for a caller that must set up the connection (a
    // busy handler) before its first read: open_database() opens the file
    // without reading it (Error::not_found as above); check_and_migrate()
    // makes open()'s first read: the catalogue check, then the schema version
    // check (read_only) or the migrations (create, read_write).
    static Database open_database(const std::filesystem::path& file, Mode mode, int busy_timeout_ms = 10000);
    static void check_and_migrate(Database& database, Mode mode,
                                  std::span<const Migration> migrations = catalogue_migrations());

    Database& database() noexcept { return database_; }
    int schema_version();

private:
    explicit Catalogue(Database database) : database_(std::move(database)) {}
    Database database_;
};

// Applies migrations newer than the database's user_version, each in its own
// transaction. Returns the number applied. Throws Error::unsupported when the
// database is newer than the newest migration.
int apply_migrations(Database& database, std::span<const Migration> migrations);

}  // namespace chantal
