// The snapshot, view and package commands through the real chantal binary,
// on a catalogue pre-populated the way a sync leaves it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using chantal::test_support::CatalogueFixture;
using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

class SnapshotCli : public ::testing::Test {
protected:
    void SetUp() override {
        write_text(dir_ / "config.yaml", "storage:\n  base_path: data\n"
                                         "repositories:\n"
                                         "  - id: base\n    feed: http://127.0.0.1:9/base\n"
                                         "  - id: extra\n    feed: http://127.0.0.1:9/extra\n"
                                         "  - id: unsynced\n    feed: http://127.0.0.1:9/unsynced\n"
                                         "views:\n  - name: all\n    description: base and extra\n    repos: [base, extra]\n");
        std::string output;
        ASSERT_EQ(run("init", &output), 0) << output;
        CatalogueFixture fixture(dir_ / "data/chantal.db");
        fixture.set_latest("base", {{"bash", 0, "5.1.8", "6.el9"}, {"common", 0, "1.0", "1", "noarch", "base"},
                                    {"tzdata", 0, "2024a", "1.el9", "noarch"}});
        fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}, {"common", 0, "1.0", "1", "noarch", "extra"}});
    }

    int run(const std::string& arguments, std::string* output) {
        return run_command(std::string(CHANTAL_BINARY) + " --config " + (dir_ / "config.yaml").string() + " " + arguments,
                           output);
    }
    // stdout only (stderr dropped).
    int run_stdout(const std::string& arguments, std::string* output) {
        return run_command("( " + std::string(CHANTAL_BINARY) + " --config " + (dir_ / "config.yaml").string() + " " +
                               arguments + " 2>/dev/null )",
                           output);
    }
    // stdout only, parsed as JSON; fails the test on a non-zero exit.
    nlohmann::json run_json(const std::string& arguments) {
        std::string output;
        EXPECT_EQ(run_stdout("--format json " + arguments, &output), 0) << arguments << "\n" << output;
        return nlohmann::json::parse(output);
    }

    TempDir dir_;
};

// Every line of a table has its columns starting at the same offsets as the header.
void expect_aligned(const std::string& table_text, const std::string& second_header) {
    std::istringstream lines(table_text);
    std::string header;
    std::getline(lines, header);
    const auto column = header.find(second_header);
    ASSERT_NE(column, std::string::npos) << table_text;
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) break;
        ASSERT_GT(line.size(), column) << line;
        EXPECT_EQ(line[column - 1], ' ') << line;
        EXPECT_EQ(line[column - 2], ' ') << line;
        EXPECT_NE(line[column], ' ') << line;
    }
}

}  // namespace

TEST_F(SnapshotCli, CreateListShowDeleteRepositorySnapshot) {
    std::string output;
    ASSERT_EQ(run("snapshot create --repo-id base --name 2025-06 --description 'june freeze'", &output), 0) << output;
    EXPECT_NE(output.find("3 packages"), std::string::npos) << output;
    EXPECT_EQ(run("snapshot create --repo-id base --name 2025-06", &output), 1);
    EXPECT_EQ(output, "error: repository 'base' already has a snapshot '2025-06'\n");

    auto list = run_json("snapshot list --repo-id base");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["name"], "2025-06");
    EXPECT_EQ(list[0]["packages"], 3);
    EXPECT_EQ(list[0]["description"], "june freeze");

    auto show = run_json("snapshot show --repo-id base --name 2025-06");
    EXPECT_EQ(show["metadata_files"], 2);
    EXPECT_EQ(show["tree"], "mirror");
    EXPECT_TRUE(show["used_by"].empty());

    ASSERT_EQ(run_stdout("snapshot list --repo-id base", &output), 0) << output;
    expect_aligned(output, "NAME");
    ASSERT_EQ(run("snapshot delete --repo-id base --name 2025-06", &output), 0) << output;
    EXPECT_NE(output.find("deleted repository 'base' snapshot '2025-06'"), std::string::npos) << output;
    EXPECT_TRUE(run_json("snapshot list --repo-id base").empty());
}

TEST_F(SnapshotCli, ErrorsAreOneLineWithExitCodes) {
    std::string output;
    EXPECT_EQ(run("snapshot create --repo-id unsynced --name s1", &output), 1);
    EXPECT_EQ(output, "error: repository 'unsynced' has never been synced; run chantal repo sync --repo-id unsynced\n");
    EXPECT_EQ(run("snapshot create --repo-id nope --name s1", &output), 1);
    EXPECT_NE(output.find("error: unknown repository 'nope'"), std::string::npos) << output;
    EXPECT_EQ(run("snapshot create --repo-id base --name ../x", &output), 1);
    EXPECT_EQ(output, "error: snapshot name '../x' must not contain '/'\n");
    EXPECT_EQ(run("snapshot create --repo-id base --name latest", &output), 1);
    EXPECT_EQ(run("snapshot create --name s1", &output), 2) << output;                          // no target
    EXPECT_EQ(run("snapshot create --repo-id base --view all --name s1", &output), 2) << output;  // two targets
    EXPECT_EQ(run("snapshot show --view nope --name s1", &output), 1);
    EXPECT_NE(output.find("error: unknown view 'nope'"), std::string::npos) << output;
}

TEST_F(SnapshotCli, ViewSnapshotOnFreshCatalogueAndDeleteGuard) {
    std::string output;
    ASSERT_EQ(run("snapshot create --view all --name s1", &output), 0) << output;
    EXPECT_NE(output.find("all-s1"), std::string::npos) << output;
    auto views = run_json("snapshot list --view all");
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0]["members"].size(), 2u);
    EXPECT_EQ(views[0]["members"][0]["repo_id"], "base");

    EXPECT_EQ(run("snapshot delete --repo-id base --name all-s1", &output), 1);
    EXPECT_NE(output.find("view 'all' snapshot 's1'"), std::string::npos) << output;
    EXPECT_NE(output.find("--force"), std::string::npos) << output;
    ASSERT_EQ(run("snapshot delete --repo-id base --name all-s1 --force", &output), 0) << output;
    EXPECT_NE(output.find("view 'all' snapshot 's1' no longer contains repository 'base'"), std::string::npos) << output;

    auto all = run_json("snapshot list");
    EXPECT_EQ(all["repository_snapshots"].size(), 1u);
    EXPECT_EQ(all["view_snapshots"].size(), 1u);
    ASSERT_EQ(run("snapshot delete --view all --name s1", &output), 0) << output;
    all = run_json("snapshot list");
    EXPECT_TRUE(all["repository_snapshots"].empty());
    EXPECT_TRUE(all["view_snapshots"].empty());
}

TEST_F(SnapshotCli, CopyAndDiffAsJson) {
    std::string output;
    ASSERT_EQ(run("snapshot create --repo-id base --name testing", &output), 0) << output;
    ASSERT_EQ(run("snapshot copy --repo-id base --source testing --target stable", &output), 0) << output;
    {
        CatalogueFixture fixture(dir_ / "data/chantal.db");
        fixture.set_latest("base", {{"bash", 0, "5.2.15", "1.el9"}, {"common", 0, "1.0", "1", "noarch", "base"},
                                    {"vim", 2, "9.0", "1.el9"}});
    }
    auto diff = run_json("snapshot diff --repo-id base --from stable --to latest");
    ASSERT_EQ(diff["upgraded"].size(), 1u);
    EXPECT_EQ(diff["upgraded"][0]["name"], "bash");
    EXPECT_EQ(diff["upgraded"][0]["from"], "5.1.8-6.el9");
    EXPECT_EQ(diff["upgraded"][0]["to"], "5.2.15-1.el9");
    ASSERT_EQ(diff["added"].size(), 1u);
    EXPECT_EQ(diff["added"][0]["to"], "2:9.0-1.el9");
    EXPECT_TRUE(diff["added"][0]["from"].is_null());
    ASSERT_EQ(diff["removed"].size(), 1u);
    EXPECT_EQ(diff["removed"][0]["name"], "tzdata");
    EXPECT_EQ(diff["unchanged"], 1);
    EXPECT_TRUE(diff["advisories"].is_array());

    ASSERT_EQ(run("snapshot diff --repo-id base --from stable --to latest", &output), 0) << output;
    EXPECT_NE(output.find("1 upgraded, 1 added, 1 removed, "), std::string::npos) << output;
    EXPECT_EQ(run("snapshot diff --repo-id base --from nope --to latest", &output), 1);
    EXPECT_EQ(output, "error: repository 'base' has no snapshot 'nope'\n");
}

TEST_F(SnapshotCli, ViewListShowWithConflicts) {
    auto list = run_json("view list");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["name"], "all");
    auto show = run_json("view show --name all");
    EXPECT_EQ(show["packages"], 4);  // bash, common (base's), tzdata, zsh
    ASSERT_EQ(show["conflicts"].size(), 1u);
    EXPECT_EQ(show["conflicts"][0]["served_from"], "base");
    EXPECT_EQ(show["conflicts"][0]["shadowed"], "extra");
    std::string output;
    ASSERT_EQ(run("view show --name all", &output), 0) << output;
    EXPECT_NE(output.find("file name conflicts"), std::string::npos) << output;
    ASSERT_EQ(run_stdout("view list", &output), 0) << output;
    expect_aligned(output, "MEMBERS");
}

TEST_F(SnapshotCli, PackageListShowSearch) {
    auto packages = run_json("package list --repo-id base");
    ASSERT_EQ(packages.size(), 3u);
    EXPECT_EQ(packages[0]["name"], "bash");
    EXPECT_EQ(packages[0]["path"], "Packages/bash-5.1.8-6.el9.x86_64.rpm");

    auto view_packages = run_json("package list --view all");
    ASSERT_EQ(view_packages.size(), 4u);
    EXPECT_EQ(view_packages[3]["name"], "zsh");
    EXPECT_EQ(view_packages[3]["path"], "Packages/z/zsh-5.8-9.el9.x86_64.rpm");
    EXPECT_EQ(view_packages[3]["repo_id"], "extra");

    std::string output;
    ASSERT_EQ(run("snapshot create --repo-id base --name s1", &output), 0) << output;
    EXPECT_EQ(run_json("package list --repo-id base --snapshot s1").size(), 3u);
    EXPECT_EQ(run("package list --repo-id base --snapshot nope", &output), 1);
    ASSERT_EQ(run_stdout("package list --view all", &output), 0) << output;
    expect_aligned(output, "VERSION");

    auto shown = run_json("package show bash");
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0]["nevra"], "bash-5.1.8-6.el9.x86_64");
    const std::string sha256 = shown[0]["sha256"];
    EXPECT_NE(std::string(shown[0]["pool_path"]).find(sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256 + "_bash"),
              std::string::npos);
    // base latest, base snapshot s1, view all latest.
    ASSERT_EQ(shown[0]["held_by"].size(), 3u);
    EXPECT_EQ(shown[0]["held_by"][2]["kind"], "view");
    EXPECT_EQ(shown[0]["held_by"][2]["path"], "Packages/b/bash-5.1.8-6.el9.x86_64.rpm");
    EXPECT_EQ(run_json("package show " + sha256)[0]["name"], "bash");
    // The shadowed "common" of extra is not served by the view.
    auto common = run_json("package show common");
    ASSERT_EQ(common.size(), 2u);
    int view_holders = 0;
    for (const auto& package : common)
        for (const auto& holder : package["held_by"]) view_holders += holder["kind"] == "view";
    EXPECT_EQ(view_holders, 1);
    EXPECT_EQ(run("package show nothing-like-this", &output), 1);

    auto hits = run_json("package search SH");
    ASSERT_EQ(hits.size(), 2u);  // bash, zsh
    EXPECT_EQ(hits[0]["name"], "bash");
    EXPECT_EQ(hits[0]["repositories"], nlohmann::json::array({"base"}));
    EXPECT_EQ(hits[0]["snapshots"], 1);
    EXPECT_EQ(run_json("package search 'z*'").size(), 1u);
    EXPECT_EQ(run_json("package search 'z'").size(), 2u);  // tzdata, zsh
}
