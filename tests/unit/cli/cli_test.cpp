// Drives the real chantal binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

std::string chantal_command(const std::filesystem::path& config, const std::string& arguments) {
    return std::string(CHANTAL_BINARY) + " --config " + config.string() + " " + arguments;
}

std::string write_config(const TempDir& dir) {
    write_text(dir / "config.yaml", "storage:\n  base_path: data\n"
                                    "repositories:\n"
                                    "  - id: base\n    name: Base OS\n    feed: http://127.0.0.1:9/base\n"
                                    "  - id: extra\n    feed: file:///srv/extra\n    enabled: false\n"
                                    "views:\n  - name: all\n    repos: [base, extra]\n");
    return (dir / "config.yaml").string();
}

}  // namespace

TEST(Cli, VersionAndUsage) {
    std::string output;
    EXPECT_EQ(run_command(std::string(CHANTAL_BINARY) + " --version", &output), 0);
    EXPECT_NE(output.find("chantal "), std::string::npos);
    EXPECT_EQ(run_command(std::string(CHANTAL_BINARY) + " no-such-command", &output), 2);
    EXPECT_EQ(run_command(std::string(CHANTAL_BINARY) + " repo show", &output), 2) << output;
    EXPECT_NE(output.find("--repo-id"), std::string::npos) << output;
}

TEST(Cli, InitTwiceThenListAsJson) {
    TempDir dir;
    const std::string config = write_config(dir);
    std::string output;
    ASSERT_EQ(run_command(chantal_command(config, "init"), &output), 0) << output;
    EXPECT_NE(output.find("created catalogue"), std::string::npos) << output;
    ASSERT_EQ(run_command(chantal_command(config, "init"), &output), 0) << output;
    EXPECT_NE(output.find("catalogue ready"), std::string::npos) << output;
    EXPECT_TRUE(std::filesystem::is_directory(dir / "data/pool"));
    EXPECT_TRUE(std::filesystem::is_regular_file(dir / "data/chantal.db"));

    ASSERT_EQ(run_command(chantal_command(config, "--format json repo list 2>/dev/null"), &output), 0) << output;
    auto list = nlohmann::json::parse(output);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["id"], "base");
    EXPECT_EQ(list[0]["name"], "Base OS");
    EXPECT_EQ(list[0]["mode"], "mirror");
    EXPECT_EQ(list[0]["packages"], 0);
    EXPECT_TRUE(list[0]["last_sync"].is_null());
    EXPECT_EQ(list[1]["enabled"], false);
}

TEST(Cli, TableOutputAndShow) {
    TempDir dir;
    const std::string config = write_config(dir);
    std::string output;
    ASSERT_EQ(run_command(chantal_command(config, "repo list"), &output), 0) << output;
    EXPECT_NE(output.find("ID"), std::string::npos);
    EXPECT_NE(output.find("Base OS"), std::string::npos);
    EXPECT_NE(output.find("never"), std::string::npos);
    ASSERT_EQ(run_command(chantal_command(config, "repo show --repo-id base"), &output), 0) << output;
    EXPECT_NE(output.find("feed:"), std::string::npos) << output;
    EXPECT_NE(output.find("http://127.0.0.1:9/base"), std::string::npos) << output;
    ASSERT_EQ(run_command(chantal_command(config, "--format json repo show --repo-id extra"), &output), 0);
    EXPECT_EQ(nlohmann::json::parse(output)["feed"], "file:///srv/extra");
}

TEST(Cli, UnknownRepositoryIsOneErrorLine) {
    TempDir dir;
    const std::string config = write_config(dir);
    std::string output;
    EXPECT_EQ(run_command(chantal_command(config, "repo show --repo-id nope"), &output), 1);
    EXPECT_EQ(output, "error: unknown repository 'nope' (not configured in " + config + ")\n");
}

TEST(Cli, BrokenConfigGivesExitOneNamingFileAndLine) {
    TempDir dir;
    write_text(dir / "config.yaml", "storage:\n  base_path: data\nrepositories:\n  - id: x\n    feed: http://x.test/\n"
                                    "    colour: blue\n");
    std::string output;
    EXPECT_EQ(run_command(chantal_command(dir / "config.yaml", "init"), &output), 1);
    EXPECT_EQ(output, "error: " + (dir / "config.yaml").string() + ":6: unknown key 'colour' in 'repositories[]'\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "data")) << "a broken config must not create anything";
}

TEST(Cli, ConfigFromEnvironment) {
    TempDir dir;
    const std::string config = write_config(dir);
    std::string output;
    EXPECT_EQ(run_command("cd " + dir.path().string() + "/.. && CHANTAL_CONFIG=" + config + " " + CHANTAL_BINARY +
                              " --format json repo list",
                          &output),
              0)
        << output;
    EXPECT_EQ(nlohmann::json::parse(output).size(), 2u);
}
