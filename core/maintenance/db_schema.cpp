#include "core/maintenance/db_schema.h"

#include <algorithm>

#include "core/base/file_util.h"
#include "core/catalogue/catalogue.h"

namespace chantal {
namespace {

std::vector<Migration> migrations_after(int version) {
    std::vector<Migration> pending;
    for (const auto& migration : catalogue_migrations())
        if (migration.version > version) pending.push_back(migration);
    return pending;
}

int newest_version() {
    const auto migrations = catalogue_migrations();
    return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace

SchemaStatus read_schema_status(const std::filesystem::path& file) {
    SchemaStatus status;
    status.file = file;
    status.expected = newest_version();
    status.exists = std::filesystem::exists(file);
    if (status.exists) {
        Database database = Catalogue::open_database(file, Catalogue::Mode::read_only);
        const int version = static_cast<int>(database.query_int64("PRAGMA user_version"));
        // The catalogue checks against the migrations up to its own version:
        // "not a catalogue" and "newer than this build" are errors, an older
        // one is what this reports.
        const auto migrations = catalogue_migrations();
        const auto known = std::count_if(migrations.begin(), migrations.end(),
                                         [version](const Migration& migration) { return migration.version <= version; });
        Catalogue::check_and_migrate(database, Catalogue::Mode::read_only,
                                     version > status.expected ? migrations
                                                               : migrations.first(static_cast<std::size_t>(known)));
        status.version = version;
    }
    status.pending = migrations_after(status.version);
    return status;
}

SchemaUpgrade upgrade_schema(const std::filesystem::path& file) {
    SchemaUpgrade upgrade;
    upgrade.from = read_schema_status(file).version;
    Catalogue catalogue = Catalogue::open(file, Catalogue::Mode::read_write);
    upgrade.to = catalogue.schema_version();
    for (const auto& migration : migrations_after(upgrade.from))
        if (migration.version <= upgrade.to) upgrade.applied.push_back(migration);
    return upgrade;
}

bool create_catalogue(const std::filesystem::path& file) {
    const bool existed = std::filesystem::exists(file);
    chantal::create_directories(file.parent_path());
    Catalogue::open(file, Catalogue::Mode::create);
    return !existed;
}

}  // namespace chantal
