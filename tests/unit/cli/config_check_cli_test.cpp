// chantal config check, driven through the real binary: it validates and
// reports without creating storage, and an invalid config exits with 2.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

std::string check(const std::filesystem::path& config, const std::string& options = "") {
    return std::string(CHANTAL_BINARY) + " --config " + config.string() + " " + options + " config check";
}

// Standard output only (run_command collects both streams).
std::string stdout_of(const std::string& command) { return "{ " + command + " 2>/dev/null; }"; }

}  // namespace

TEST(ConfigCheck, ReportsAValidConfigWithoutCreatingStorage) {
    TempDir dir;
    write_text(dir / "config.yaml", "storage:\n  base_path: data\n"
                                    "repositories:\n  - id: base\n    feed: http://127.0.0.1:9/base\n"
                                    "views:\n  - name: all\n    repos: [base]\n");
    std::string output;
    ASSERT_EQ(run_command(stdout_of(check(dir / "config.yaml", "--format json")), &output), 0) << output;
    const auto report = nlohmann::json::parse(output);
    EXPECT_EQ(report["valid"], true);
    EXPECT_EQ(report["repositories"].size(), 1u);
    EXPECT_EQ(report["views"][0]["name"], "all");
    EXPECT_EQ(report["storage"]["pool_path"], (dir / "data/pool").string());
    EXPECT_FALSE(std::filesystem::exists(dir / "data"));

    ASSERT_EQ(run_command(check(dir / "config.yaml"), &output), 0) << output;
    EXPECT_NE(output.find("repositories: 1 (1 enabled)"), std::string::npos) << output;
    EXPECT_FALSE(std::filesystem::exists(dir / "data"));
}

TEST(ConfigCheck, AnInvalidConfigExitsWithTwoAndNamesTheProblem) {
    TempDir dir;
    write_text(dir / "config.yaml", "download:\n  parallel: many\n");
    std::string output;
    EXPECT_EQ(run_command(check(dir / "config.yaml"), &output), 2);
    EXPECT_EQ(output, "error: " + (dir / "config.yaml").string() + ":2: 'parallel' must be an integer\n");
    EXPECT_EQ(run_command(stdout_of(check(dir / "config.yaml", "--format json")), &output), 2);
    const auto report = nlohmann::json::parse(output);
    EXPECT_EQ(report["valid"], false);
    EXPECT_EQ(report["error"], (dir / "config.yaml").string() + ":2: 'parallel' must be an integer");
}
