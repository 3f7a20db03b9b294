// db export / db import: natural keys, stable bytes, validation, all or nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "core/base/error.h"
#include "core/catalogue/catalogue_export.h"
#include "core/catalogue/catalogue_import.h"
#include "core/catalogue/schema.h"
#include "support/maintenance_fixture.h"

using chantal::test_support::MaintenanceFixture;
using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

std::string export_text(chantal::Database& database) {
    std::ostringstream out;
    chantal::export_catalogue(database, out);
    return out.str();
}

// Same rows as populate(), inserted in another order, so rowids differ.
void populate_shuffled(MaintenanceFixture& fixture) {
    fixture.add_repo("zzz-other");
    fixture.add_content("unrelated", "unrelated.rpm");
    fixture.populate();
    fixture.db().execute("DELETE FROM content_items WHERE filename = 'unrelated.rpm';"
                         "DELETE FROM repositories WHERE repo_id = 'zzz-other'");
}

}  // namespace

TEST(CatalogueExport, UsesNaturalKeysAndNoRowids) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto json = nlohmann::json::parse(export_text(fixture.db()));
    EXPECT_EQ(json["format"], "chantal-catalogue");
    EXPECT_EQ(json["schema_version"], chantal::catalogue_migrations().back().version);
    const auto& tables = json["tables"];
    EXPECT_EQ(tables["repositories"][0]["repo_id"], "base");
    EXPECT_FALSE(tables["repositories"][0].contains("id"));
    const auto& snapshot_row = tables["snapshot_contents"][0];
    EXPECT_EQ(snapshot_row["snapshot"], nlohmann::json::array({"base", "s1"}));
    EXPECT_EQ(snapshot_row["package"], nlohmann::json::array({"sha256", std::string(64, 'a')}));
    EXPECT_EQ(snapshot_row["content"].get<std::string>().size(), 64u);
    EXPECT_EQ(tables["view_snapshot_members"][0]["view_snapshot"], nlohmann::json::array({"all", "vs1"}));
    // Packages: sorted by pkgid; the one without a pool file has content null; XML as text.
    ASSERT_EQ(tables["packages"].size(), 3u);
    EXPECT_EQ(tables["packages"][0]["name"], "bash");
    EXPECT_TRUE(tables["packages"][2]["content"].is_null());
    ASSERT_EQ(tables["package_metadata"].size(), 3u);
    EXPECT_EQ(tables["package_metadata"][0]["package"], nlohmann::json::array({"sha256", std::string(64, 'a')}));
    EXPECT_NE(tables["package_metadata"][0]["primary_xml"].get<std::string>().find("Caf\xc3\xa9"), std::string::npos);
    EXPECT_TRUE(tables["package_metadata"][2]["other_xml"].is_null());
    EXPECT_FALSE(tables["packages"][0].contains("primary_xml"));
}

TEST(CatalogueExport, ExportImportExportIsByteIdentical) {
    MaintenanceFixture source;
    populate_shuffled(source);
    const std::string first = export_text(source.db());
    write_text(source.dir() / "export.json", first);

    MaintenanceFixture target;
    const auto result = chantal::import_catalogue(target.db(), source.dir() / "export.json", {});
    EXPECT_EQ(result.rows_by_table.at("packages"), 3);
    EXPECT_EQ(result.rows_by_table.at("snapshot_contents"), 1);
    EXPECT_NE(source.db().query_int64("SELECT min(id) FROM repositories"),
              target.db().query_int64("SELECT min(id) FROM repositories"));
    EXPECT_EQ(export_text(target.db()), first);
    // BLOBs stay BLOBs.
    EXPECT_EQ(target.db().query_int64("SELECT count(*) FROM package_metadata WHERE typeof(primary_xml) = 'blob'"), 3);
}

TEST(CatalogueExport, ImportRefusesNonEmptyCatalogueUnlessForced) {
    MaintenanceFixture source;
    source.populate();
    write_text(source.dir() / "export.json", export_text(source.db()));
    MaintenanceFixture target;
    target.add_repo("existing");
    try {
        chantal::import_catalogue(target.db(), source.dir() / "export.json", {});
        FAIL() << "imported into a non-empty catalogue";
    } catch (const chantal::Error& error) {
        EXPECT_EQ(error.kind(), chantal::ErrorKind::conflict);
        EXPECT_NE(std::string(error.what()).find("--force"), std::string::npos) << error.what();
    }
    EXPECT_EQ(target.db().query_int64("SELECT count(*) FROM repositories"), 1);
    const auto result = chantal::import_catalogue(target.db(), source.dir() / "export.json", {true});
    EXPECT_EQ(result.rows_replaced, 1);
    EXPECT_EQ(target.db().query_int64("SELECT count(*) FROM repositories WHERE repo_id = 'existing'"), 0);
    EXPECT_EQ(export_text(target.db()), export_text(source.db()));
}

TEST(CatalogueExport, DanglingReferenceIsRefusedAndNothingImported) {
    MaintenanceFixture source;
    source.populate();
    auto json = nlohmann::json::parse(export_text(source.db()));
    json["tables"]["snapshots"][0]["repository"] = "no-such-repo";
    write_text(source.dir() / "bad-repo.json", json.dump());
    json = nlohmann::json::parse(export_text(source.db()));
    json["tables"]["repository_contents"][1]["content"] = std::string(64, 'f');
    write_text(source.dir() / "bad-content.json", json.dump());

    MaintenanceFixture target;
    struct Case {
        std::string file;
        std::string message;
    };
    for (const Case& bad : {Case{"bad-repo.json", "snapshots entry 1: unknown repository 'no-such-repo'"},
                            Case{"bad-content.json", "repository_contents entry 2: unknown content '" +
                                                         std::string(64, 'f') + "'"}}) {
        try {
            chantal::import_catalogue(target.db(), source.dir() / bad.file, {});
            FAIL() << bad.file << " imported";
        } catch (const chantal::Error& error) {
            EXPECT_EQ(error.kind(), chantal::ErrorKind::invalid_input);
            EXPECT_NE(std::string(error.what()).find(bad.message), std::string::npos) << error.what();
        }
        EXPECT_EQ(chantal::count_catalogue_rows(target.db()), 0) << bad.file;
    }
}

TEST(CatalogueExport, RejectsOtherFilesAndSchemaVersions) {
    MaintenanceFixture fixture;
    write_text(fixture.dir() / "garbage.json", "{\"format\": \"chantal-catalogue\", ");
    write_text(fixture.dir() / "other.json", "{\"format\": \"something-else\"}");
    write_text(fixture.dir() / "newer.json", "{\"format\": \"chantal-catalogue\", \"schema_version\": 99, \"tables\": {}}");
    EXPECT_THROW(chantal::import_catalogue(fixture.db(), fixture.dir() / "garbage.json", {}), chantal::Error);
    EXPECT_THROW(chantal::import_catalogue(fixture.db(), fixture.dir() / "other.json", {}), chantal::Error);
    try {
        chantal::import_catalogue(fixture.db(), fixture.dir() / "newer.json", {});
        FAIL();
    } catch (const chantal::Error& error) {
        EXPECT_EQ(error.kind(), chantal::ErrorKind::unsupported);
    }
}

TEST(CatalogueExport, CommandsRoundTrip) {
    MaintenanceFixture source;
    source.populate();
    std::string output;
    const auto file = source.dir() / "catalogue.json";
    ASSERT_EQ(run_command(source.chantal("db export --output " + file.string()), &output), 0) << output;
    ASSERT_EQ(run_command(source.chantal("db export 2>/dev/null"), &output), 0);
    EXPECT_EQ(output, chantal::read_file(file));

    // A second instance: no catalogue yet, import creates it.
    TempDir other;
    write_text(other / "config.yaml", "storage:\n  base_path: data\n");
    const std::string chantal = std::string(CHANTAL_BINARY) + " --config " + (other / "config.yaml").string();
    ASSERT_EQ(run_command(chantal + " db import " + file.string(), &output), 0) << output;
    EXPECT_NE(output.find("imported"), std::string::npos) << output;
    ASSERT_EQ(run_command(chantal + " db export 2>/dev/null", &output), 0);
    EXPECT_EQ(output, chantal::read_file(file));
    EXPECT_EQ(run_command(chantal + " db import " + file.string(), &output), 1);
    EXPECT_NE(output.find("error: catalogue "), std::string::npos) << output;
    EXPECT_NE(output.find("is not empty"), std::string::npos) << output;
    ASSERT_EQ(run_command(chantal + " db import --force " + file.string(), &output), 0) << output;
}

TEST(CatalogueExport, ExportOfSchemaVersionOneImports) {
    MaintenanceFixture source;
    source.populate();
    auto json = nlohmann::json::parse(export_text(source.db()));
    json["schema_version"] = 1;
    json["tables"].erase("retired_tree_files");  // the table version 2 added
    // Before version 5 the per-package XML was part of each packages row.
    auto& tables = json["tables"];
    for (const auto& metadata : tables["package_metadata"])
        for (auto& package : tables["packages"])
            if (nlohmann::json::array({package["checksum_type"], package["checksum"]}) == metadata["package"])
                for (const char* column : {"primary_xml", "filelists_xml", "other_xml"}) package[column] = metadata[column];
    tables.erase("package_metadata");
    write_text(source.dir() / "version1.json", json.dump());
    MaintenanceFixture target;
    const auto result = chantal::import_catalogue(target.db(), source.dir() / "version1.json", {});
    EXPECT_EQ(chantal::count_catalogue_rows(target.db()), chantal::count_catalogue_rows(source.db()));
    EXPECT_EQ(result.rows_by_table.at("retired_tree_files"), 0);
    EXPECT_EQ(result.rows_by_table.at("package_metadata"), 3);
    EXPECT_EQ(export_text(target.db()), export_text(source.db()));
}
