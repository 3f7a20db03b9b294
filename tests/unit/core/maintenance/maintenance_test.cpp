// db stats / vacuum / verify: core functions and the chantal db commands.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/base/error.h"
#include "core/maintenance/db_stats.h"
#include "core/maintenance/db_vacuum.h"
#include "core/maintenance/db_verify.h"
#include "support/maintenance_fixture.h"

using chantal::test_support::MaintenanceFixture;
using chantal::test_support::run_command;

namespace {

void flip_first_byte(const std::filesystem::path& path) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    char byte = 0;
    file.read(&byte, 1);
    byte ^= 0x20;
    file.seekp(0);
    file.write(&byte, 1);
}

}  // namespace

TEST(Maintenance, StatsCountRowsPoolAndDeduplication) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto stats = chantal::collect_catalogue_stats(fixture.db(), fixture.pool());
    EXPECT_EQ(stats.repositories, 1);
    EXPECT_EQ(stats.snapshots, 1);
    EXPECT_EQ(stats.views, 1);
    EXPECT_EQ(stats.view_snapshots, 1);
    EXPECT_EQ(stats.packages, 3);
    EXPECT_EQ(stats.packages_in_pool, 2);
    EXPECT_EQ(stats.content_items, 4);
    EXPECT_EQ(stats.pool_files, 4u);
    const std::uint64_t bash = 14, zsh = 27, primary = 11, repomd = 16;
    EXPECT_EQ(stats.pool_bytes, bash + zsh + primary + repomd);
    EXPECT_EQ(stats.referenced_bytes, bash + zsh + primary + repomd);
    // latest (bash, zsh, primary) + snapshot (bash) + generated (repomd)
    // + view latest packages (bash, zsh) + view snapshot packages (bash).
    EXPECT_EQ(stats.logical_bytes, (bash + zsh + primary) + bash + repomd + (bash + zsh) + bash);
    EXPECT_EQ(stats.deduplicated_bytes, stats.logical_bytes - stats.referenced_bytes);
    EXPECT_GT(stats.catalogue_bytes, 0u);
}

TEST(Maintenance, VerifyCleanCatalogue) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto report = chantal::verify_catalogue(fixture.db(), fixture.pool(), {true});
    EXPECT_TRUE(report.ok()) << report.summary();
    EXPECT_EQ(report.content_checked, 4u);
    EXPECT_TRUE(report.uncatalogued_files.empty());
    EXPECT_TRUE(report.unreferenced_content.empty());
    EXPECT_EQ(report.summary(), "no problems");
}

TEST(Maintenance, VerifyNamesEveryTreeHoldingABadFile) {
    MaintenanceFixture fixture;
    fixture.populate();
    flip_first_byte(fixture.path_of(fixture.bash_content()));
    // Sizes only: a flipped byte is not seen.
    EXPECT_TRUE(chantal::verify_catalogue(fixture.db(), fixture.pool(), {false}).ok());
    std::vector<chantal::VerifyProgress> progress;
    const auto report = chantal::verify_catalogue(fixture.db(), fixture.pool(), {true},
                                                  [&](const chantal::VerifyProgress& p) { progress.push_back(p); });
    ASSERT_EQ(report.bad_content.size(), 1u);
    const auto& bad = report.bad_content[0];
    EXPECT_EQ(bad.problem, chantal::ContentProblem::wrong_checksum);
    EXPECT_EQ(bad.filename, "bash-1.0-1.x86_64.rpm");
    std::vector<std::string> holders;
    for (const auto& holder : bad.holders) holders.push_back(holder.describe());
    EXPECT_EQ(holders, (std::vector<std::string>{
                           "repo base latest: Packages/bash-1.0-1.x86_64.rpm",
                           "repo base snapshot s1: Packages/bash-1.0-1.x86_64.rpm",
                           "view all latest (via repo base): Packages/b/bash-1.0-1.x86_64.rpm",
                           "view all snapshot vs1 (via repo base): Packages/b/bash-1.0-1.x86_64.rpm",
                       }));
    EXPECT_EQ(report.summary(), "1 problem: 1 bad checksum");
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().files_done, 4u);
    EXPECT_EQ(progress.back().files_total, 4u);
    EXPECT_EQ(progress.back().bytes_done, progress.back().bytes_total);
}

TEST(Maintenance, VerifyReportsMissingWrongSizeUncataloguedAndUnreferenced) {
    MaintenanceFixture fixture;
    fixture.populate();
    std::filesystem::remove(fixture.path_of(fixture.bash_content()));
    {
        std::ofstream grow(fixture.path_of(fixture.zsh_content()), std::ios::app | std::ios::binary);
        grow << "extra";
    }
    fixture.pool().add_bytes("stray bytes", "stray.rpm");
    fixture.add_content("orphan", "orphan.rpm");
    const auto report = chantal::verify_catalogue(fixture.db(), fixture.pool(), {false});
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.bad_content.size(), 2u);
    std::map<std::string, chantal::ContentProblem> problems;
    for (const auto& bad : report.bad_content) problems[bad.filename] = bad.problem;
    EXPECT_EQ(problems["bash-1.0-1.x86_64.rpm"], chantal::ContentProblem::missing);
    EXPECT_EQ(problems["zsh-1.0-1.x86_64.rpm"], chantal::ContentProblem::wrong_size);
    ASSERT_EQ(report.uncatalogued_files.size(), 1u);
    EXPECT_EQ(report.uncatalogued_files[0].filename, "stray.rpm");
    ASSERT_EQ(report.unreferenced_content.size(), 1u);
    EXPECT_EQ(report.unreferenced_content[0].filename, "orphan.rpm");
    EXPECT_EQ(report.summary(), "2 problems: 1 missing, 1 wrong size");
}

TEST(Maintenance, VacuumReclaimsSpaceWhileAReaderIsOpen) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto repo = fixture.db().query_int64("SELECT id FROM repositories");
    {
        chantal::Transaction transaction(fixture.db());
        auto insert = fixture.db().prepare(
            "INSERT INTO sync_history (repository_id, started_at, status, message) VALUES (?1, ?2, 'failed', ?3)");
        for (int i = 0; i < 2000; ++i) insert.bind(1, repo).bind(2, i).bind(3, std::string(500, 'x')).run();
        transaction.commit();
    }
    fixture.db().execute("DELETE FROM sync_history WHERE status = 'failed'");
    // A read-only connection, as chantalfs has.
    chantal::Database reader(fixture.database_path(), chantal::Database::Access::read_only);
    EXPECT_EQ(reader.query_int64("SELECT count(*) FROM repositories"), 1);
    const auto result = chantal::vacuum_catalogue(fixture.db());
    EXPECT_GT(result.bytes_reclaimed, 500000u);
    EXPECT_EQ(result.bytes_before - result.bytes_after, result.bytes_reclaimed);
    EXPECT_EQ(reader.query_int64("SELECT count(*) FROM repositories"), 1);
    EXPECT_TRUE(chantal::verify_catalogue(fixture.db(), fixture.pool(), {false}).ok());
}

TEST(DbCommand, VerifyChecksumsNamesBadFileAndHolders) {
    MaintenanceFixture fixture;
    fixture.populate();
    std::string output;
    ASSERT_EQ(run_command(fixture.chantal("db verify --checksums"), &output), 0) << output;
    EXPECT_NE(output.find("no problems"), std::string::npos) << output;

    const auto bad_path = fixture.path_of(fixture.bash_content());
    flip_first_byte(bad_path);
    EXPECT_EQ(run_command(fixture.chantal("db verify --checksums"), &output), 1) << output;
    EXPECT_NE(output.find("bad checksum: " + bad_path.string()), std::string::npos) << output;
    EXPECT_NE(output.find("held by repo base latest: Packages/bash-1.0-1.x86_64.rpm"), std::string::npos) << output;
    EXPECT_NE(output.find("held by repo base snapshot s1"), std::string::npos) << output;
    EXPECT_NE(output.find("error: catalogue " + fixture.database_path().string() +
                          " failed verification: 1 problem: 1 bad checksum"),
              std::string::npos)
        << output;

    const auto json_file = fixture.dir() / "verify.json";
    ASSERT_EQ(run_command("{ " + fixture.chantal("--format json db verify --checksums >" + json_file.string()) + "; }", &output), 1);
    EXPECT_NE(output.find("error: catalogue"), std::string::npos) << output;
    const auto json = nlohmann::json::parse(chantal::read_file(json_file));
    EXPECT_FALSE(json["ok"]);
    ASSERT_EQ(json["bad_content"].size(), 1u);
    EXPECT_EQ(json["bad_content"][0]["problem"], "bad checksum");
    EXPECT_EQ(json["bad_content"][0]["held_by"][1]["snapshot"], "s1");
    EXPECT_EQ(json["bad_content"][0]["held_by"][1]["tree_path"], "repos/base/snapshots/s1/Packages/bash-1.0-1.x86_64.rpm");
}

TEST(DbCommand, VerifyReportsDeletedFile) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto path = fixture.path_of(fixture.zsh_content());
    std::filesystem::remove(path);
    std::string output;
    EXPECT_EQ(run_command(fixture.chantal("db verify"), &output), 1) << output;
    EXPECT_NE(output.find("missing: " + path.string()), std::string::npos) << output;
    EXPECT_NE(output.find("held by repo base latest: Packages/zsh-1.0-1.x86_64.rpm"), std::string::npos) << output;
    EXPECT_NE(output.find("1 problem: 1 missing"), std::string::npos) << output;
}

TEST(DbCommand, StatsAndVacuumAsJson) {
    MaintenanceFixture fixture;
    fixture.populate();
    std::string output;
    ASSERT_EQ(run_command(fixture.chantal("--format json db stats 2>/dev/null"), &output), 0) << output;
    const auto stats = nlohmann::json::parse(output);
    EXPECT_EQ(stats["repositories"], 1);
    EXPECT_EQ(stats["pool_files"], 4);
    EXPECT_GT(stats["deduplicated_bytes"].get<int>(), 0);
    ASSERT_EQ(run_command(fixture.chantal("--format json db vacuum 2>/dev/null"), &output), 0) << output;
    EXPECT_TRUE(nlohmann::json::parse(output).contains("bytes_reclaimed"));
    ASSERT_EQ(run_command(fixture.chantal("db stats"), &output), 0) << output;
    EXPECT_NE(output.find("saved by deduplication:"), std::string::npos) << output;
}

TEST(DbCommand, CorruptCatalogueIsAClearError) {
    for (const std::string damage : {"truncate", "header"}) {
        MaintenanceFixture fixture;
        fixture.populate();
        for (int i = 0; i < 200; ++i) fixture.add_package(std::nullopt, "filler" + std::to_string(i), std::string(60, 'd') + std::to_string(1000 + i));
        fixture.db().execute("PRAGMA wal_checkpoint(TRUNCATE)");
        const auto size = std::filesystem::file_size(fixture.database_path());
        if (damage == "truncate") {
            std::filesystem::resize_file(fixture.database_path(), size / 2);
        } else {
            std::fstream file(fixture.database_path(), std::ios::in | std::ios::out | std::ios::binary);
            file.write("this is not sqlite at all", 25);
        }
        for (const std::string command : {"db verify", "db stats", "db export", "pool cleanup --dry-run"}) {
            std::string output;
            const int status = run_command(fixture.chantal(command), &output);
            EXPECT_EQ(status, 1) << damage << " " << command << ": " << output;
            EXPECT_NE(output.find("error: "), std::string::npos) << damage << " " << command << ": " << output;
            EXPECT_EQ(output.find("unexpected failure"), std::string::npos) << damage << " " << command << ": " << output;
        }
    }
}
