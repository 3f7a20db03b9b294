#include "core/catalogue/catalogue.h"

#include "core/base/error.h"

namespace chantal {

int apply_migrations(Database& database, std::span<const Migration> migrations) {
    const int newest = migrations.empty() ? 0 : migrations.back().version;
    int current = static_cast<int>(database.query_int64("PRAGMA user_version"));
    if (current > newest)
        throw Error::unsupported("catalogue " + database.file().string() + " has schema version " +
                                 std::to_string(current) + " but this chantal understands up to " +
                                 std::to_string(newest) + "; upgrade chantal (the catalogue was not changed)");
    int applied = 0;
    for (const auto& migration : migrations) {
        if (migration.version <= current) continue;
        Transaction transaction(database);
        // Re-read inside the write lock: another process may have migrated meanwhile.
        current = static_cast<int>(database.query_int64("PRAGMA user_version"));
        if (migration.version <= current) continue;
        database.execute(migration.sql);
        database.execute("PRAGMA application_id = " + std::to_string(kCatalogueApplicationId));
        database.execute("PRAGMA user_version = " + std::to_string(migration.version));
        transaction.commit();
        current = migration.version;
        ++applied;
    }
    return applied;
}

Catalogue Catalogue::open(const std::filesystem::path& file, Mode mode) {
    return open(file, mode, catalogue_migrations());
}

Catalogue Catalogue::open(const std::filesystem::path& file, Mode mode, std::span<const Migration> migrations) {
    Database database = open_database(file, mode);
    check_and_migrate(database, mode, migrations);
    return Catalogue(std::move(database));
}

Database Catalogue::open_database(const std::filesystem::path& file, Mode mode, int busy_timeout_ms) {
    if (mode != Mode::create && !std::filesystem::exists(file))
        throw Error::not_found("catalogue " + file.string() + " does not exist (run 'chantal init' first)");
    Database::Access access = mode == Mode::create      ? Database::Access::read_write_create
                              : mode == Mode::read_write ? Database::Access::read_write
                                                         : Database::Access::read_only;
    return Database(file, access, busy_timeout_ms);
}

void Catalogue::check_and_migrate(Database& database, Mode mode, std::span<const Migration> migrations) {
    const auto& file = database.file();
    // Reading the header is the first real access: it catches "not a database".
    const auto application_id = database.query_int64("PRAGMA application_id");
    const auto version = database.query_int64("PRAGMA user_version");
    if (application_id != 0 && application_id != kCatalogueApplicationId)
        throw Error::corrupt(file.string() + " is an SQLite file but not a Chantal catalogue");
    if (application_id == 0 && version != 0)
        throw Error::corrupt(file.string() + " is an SQLite file but not a Chantal catalogue");
    if (application_id == 0 && database.query_int64("SELECT count(*) FROM sqlite_master") != 0)
        throw Error::corrupt(file.string() + " is an SQLite file but not a Chantal catalogue");
    if (mode == Mode::read_only) {
        const int newest = migrations.empty() ? 0 : migrations.back().version;
        if (version > newest)
            throw Error::unsupported("catalogue " + file.string() + " has schema version " + std::to_string(version) +
                                     " but this chantal understands up to " + std::to_string(newest));
        if (version < newest)
            throw Error::unsupported("catalogue " + file.string() + " has schema version " + std::to_string(version) +
                                     "; run any read-write chantal command (e.g. 'chantal init') to migrate it");
    } else {
        apply_migrations(database, migrations);
    }
}

int Catalogue::schema_version() { return static_cast<int>(database_.query_int64("PRAGMA user_version")); }

}  // namespace chantal
