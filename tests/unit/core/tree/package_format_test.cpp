// The package-format seam: the registry, the catalogue's format column and
// its migration on a catalogue written by the release before it.
#include "core/tree/package_format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/catalogue/catalogue.h"
#include "core/catalogue/catalogue_export.h"
#include "core/catalogue/catalogue_format.h"
#include "core/catalogue/catalogue_import.h"
#include "core/catalogue/repository_records.h"
#include "core/tree/tree.h"
#include "core/tree/tree_packages.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// tests/unit/core/catalogue/data/catalogue_schema_2.sql loaded into a
// catalogue file, as the release before the format column left it.
std::filesystem::path schema_two_catalogue(const TempDir& dir) {
    const auto file = dir / "chantal.db";
    Database database(file, Database::Access::read_write_create);
    database.execute(read_file(std::string(CHANTAL_SOURCE_DIR) + "/tests/unit/core/catalogue/data/catalogue_schema_2.sql"));
    return file;
}

// Rows per catalogue table that `database` has (an old schema lacks later tables).
std::vector<std::pair<std::string, std::int64_t>> row_counts(Database& database) {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const auto& table : catalogue_table_formats()) {
        Statement exists = database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
        exists.bind(1, table.name);
        if (!exists.step()) continue;
        counts.emplace_back(table.name, database.query_int64("SELECT count(*) FROM \"" + table.name + "\""));
    }
    return counts;
}

TEST(PackageFormat, RegistryKnowsRpmAndNamesTheKnownOnesForOthers) {
    EXPECT_EQ(package_format("rpm").type(), "rpm");
    EXPECT_EQ(&package_format(kDefaultPackageFormat), &package_format("rpm"));
    EXPECT_EQ(package_format("rpm").index_directory(), "repodata");
    try {
        package_format("helm");
        FAIL() << "an unknown format must be refused";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(error.what()).find("known: rpm"), std::string::npos) << error.what();
    }
}

TEST(PackageFormat, RpmComparesVersionsInRpmOrder) {
    const PackageFormat& rpm = package_format("rpm");
    EXPECT_LT(rpm.compare_versions({0, "1.0~rc1", "1"}, {0, "1.0", "1"}), 0);
    EXPECT_LT(rpm.compare_versions({0, "1.0", "1"}, {0, "1.0^git1", "1"}), 0);
    EXPECT_GT(rpm.compare_versions({1, "0.1", "1"}, {0, "9.9", "1"}), 0);
    EXPECT_EQ(rpm.compare_versions({0, "1.0", "1.el9"}, {0, "1.0", "1.el9"}), 0);
    EXPECT_EQ(rpm.generated_package_path("Nginx-1.0-1.x86_64.rpm"), "Packages/n/Nginx-1.0-1.x86_64.rpm");
    EXPECT_EQ(rpm.generated_package_path(".hidden.rpm"), std::nullopt);
}

// A catalogue the previous release wrote (repos, a filtered repo, errata,
// snapshots, a view snapshot with exported repodata) migrates without
// losing a row; every repository and package is an RPM one, every tree
// resolves in that format, and the view snapshot's recorded repodata is
// found again under the same digest (nothing is generated anew).
TEST(PackageFormat, SchemaTwoCatalogueMigratesEveryRowToRpm) {
    TempDir dir;
    const auto file = schema_two_catalogue(dir);
    std::vector<std::pair<std::string, std::int64_t>> before;
    std::int64_t xml_bytes_before = 0;
    {
        Database old(file, Database::Access::read_write);
        ASSERT_EQ(old.query_int64("PRAGMA user_version"), 2);
        before = row_counts(old);
        xml_bytes_before = old.query_int64(
            "SELECT sum(length(primary_xml) + ifnull(length(filelists_xml), 0) + ifnull(length(other_xml), 0)) "
            "FROM packages");
    }
    Catalogue catalogue = Catalogue::open(file, Catalogue::Mode::read_write);
    Database& database = catalogue.database();
    EXPECT_EQ(catalogue.schema_version(), catalogue_migrations().back().version);
    auto after = row_counts(database);
    std::erase_if(after, [&](const auto& count) {
        return std::none_of(before.begin(), before.end(), [&](const auto& old) { return old.first == count.first; });
    });
    EXPECT_EQ(after, before);
    // Every package's XML moved to its package_metadata row (schema 5).
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM package_metadata"),
              database.query_int64("SELECT count(*) FROM packages"));
    EXPECT_EQ(database.query_int64(
                  "SELECT sum(length(primary_xml) + ifnull(length(filelists_xml), 0) + ifnull(length(other_xml), 0)) "
                  "FROM package_metadata"),
              xml_bytes_before);
    EXPECT_GT(database.query_int64("SELECT count(*) FROM packages"), 0);
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM repositories WHERE format <> 'rpm'"), 0);
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM packages WHERE format <> 'rpm'"), 0);

    for (const TreeAddress& tree : {TreeAddress::repo_latest("main"), TreeAddress::repo_latest("lib"),
                                    TreeAddress::of_repository("main", "s1"), TreeAddress::of_view("all", ""),
                                    TreeAddress::of_view("all", "v1")}) {
        const auto state = resolve_tree(database, tree);
        ASSERT_TRUE(state) << tree.path();
        EXPECT_EQ(state->format, &package_format("rpm")) << tree.path();
    }
    EXPECT_EQ(list_tree_packages(database, TreeAddress::repo_latest("main")).size(), 9u);
    EXPECT_EQ(list_tree_packages(database, TreeAddress::repo_latest("lib")).size(), 1u);

    const auto view_snapshot = resolve_tree(database, TreeAddress::of_view("all", "v1"));
    ASSERT_TRUE(view_snapshot);
    const auto contents = open_tree_contents(database, *view_snapshot);
    const PackageFormat& format = *view_snapshot->format;
    const std::string digest = format.generated_tree_digest(database, *contents);
    const auto found = format.find_generated_files(database, digest);
    ASSERT_TRUE(found) << "the repodata exported before the migration is not found under the same digest";
    EXPECT_TRUE(found->find("repodata/repomd.xml"));
}

// `db import` of an export made before the format column: the rows come
// in, every repository and package an RPM one.
TEST(PackageFormat, SchemaTwoExportImportsWithFormatRpm) {
    TempDir dir;
    std::string exported;
    {
        Catalogue catalogue = Catalogue::open(schema_two_catalogue(dir), Catalogue::Mode::read_write);
        std::ostringstream out;
        export_catalogue(catalogue.database(), out);
        exported = out.str();
    }
    // What the release before wrote: schema version 2, no format fields.
    nlohmann::json document = nlohmann::json::parse(exported);
    document["schema_version"] = 2;
    for (const char* table : {"repositories", "packages"})
        for (auto& row : document["tables"][table]) row.erase("format");
    const auto export_file = dir / "old-export.json";
    std::ofstream(export_file) << document.dump();

    Catalogue fresh = Catalogue::open(dir / "fresh.db", Catalogue::Mode::create);
    const CatalogueImportResult result = import_catalogue(fresh.database(), export_file, {});
    EXPECT_EQ(result.rows_by_table.at("repositories"), 3);
    EXPECT_EQ(fresh.database().query_int64("SELECT count(*) FROM repositories WHERE format = 'rpm'"), 3);
    EXPECT_EQ(fresh.database().query_int64("SELECT count(*) FROM packages"),
              static_cast<std::int64_t>(document["tables"]["packages"].size()));
    EXPECT_EQ(fresh.database().query_int64("SELECT count(*) FROM packages WHERE format <> 'rpm'"), 0);
}

TEST(PackageFormat, RepositoryKeepsItsType) {
    TempDir dir;
    Catalogue catalogue = Catalogue::open(dir / "chantal.db", Catalogue::Mode::create);
    Database& database = catalogue.database();
    RepositoryConfig repository;
    repository.id = "base";
    repository.name = "base";
    repository.feed = "http://127.0.0.1/base";
    upsert_repository(database, repository);
    EXPECT_EQ(database.query_int64("SELECT count(*) FROM repositories WHERE repo_id = 'base' AND format = 'rpm'"), 1);
    repository.type = "deb";
    try {
        upsert_repository(database, repository);
        FAIL() << "a repository must keep its type";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::conflict);
        EXPECT_NE(std::string(error.what()).find("catalogued as type rpm"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace chantal
