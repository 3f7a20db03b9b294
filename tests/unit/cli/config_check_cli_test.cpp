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

TEST(ConfigCheck, SaysWhatEachRepositoryAndViewBecomes) {
    TempDir dir;
    write_text(dir / "config.yaml", "storage:\n  base_path: data\n"
                                    "gpg: {key_file: keys/signing.asc, public_key_name: RPM-GPG-KEY-site}\n"
                                    "repositories:\n"
                                    "  - id: mirrored\n    feed: http://127.0.0.1:9/m\n"
                                    "    verify: {repo_gpgcheck: true, key_files: [keys/upstream.asc]}\n"
                                    "  - id: selected\n    feed: http://127.0.0.1:9/s\n"
                                    "    filters: {patterns: {include: ['^nginx']}, post_processing: {only_latest_n_versions: 2}}\n"
                                    "    retention: {policy: keep-last-n, keep_count: 3}\n"
                                    "views:\n  - name: all\n    repos: [mirrored, selected]\n");
    std::string output;
    ASSERT_EQ(run_command(stdout_of(check(dir / "config.yaml", "--format json")), &output), 0) << output;
    const auto report = nlohmann::json::parse(output);
    const auto& mirrored = report["repositories"][0];
    EXPECT_EQ(mirrored["tree"], "mirror");
    EXPECT_EQ(mirrored["filters"], nlohmann::json::array());
    EXPECT_EQ(mirrored["verify"]["repo_gpgcheck"], true);
    EXPECT_EQ(mirrored["verify"]["key_files"][0], (dir / "keys/upstream.asc").string());
    EXPECT_TRUE(mirrored["signing"].is_null()) << "a mirror tree keeps upstream's signature";
    const auto& selected = report["repositories"][1];
    EXPECT_EQ(selected["mode"], "filtered");
    EXPECT_EQ(selected["tree"], "generated");
    EXPECT_EQ(selected["filters"], nlohmann::json::array({"filters.patterns.include [^nginx]", "newest 2 versions per name.arch"}));
    EXPECT_EQ(selected["retention"]["policy"], "keep-last-n");
    EXPECT_EQ(selected["retention"]["keep_count"], 3);
    EXPECT_TRUE(selected["verify"].is_null());
    EXPECT_EQ(selected["signing"]["key"], "key_file " + (dir / "keys/signing.asc").string());
    EXPECT_EQ(selected["signing"]["public_key_name"], "RPM-GPG-KEY-site");
    EXPECT_EQ(report["views"][0]["tree"], "generated");
    EXPECT_EQ(report["views"][0]["signing"]["public_key_name"], "RPM-GPG-KEY-site");

    ASSERT_EQ(run_command(stdout_of(check(dir / "config.yaml")), &output), 0) << output;
    EXPECT_NE(output.find("repository selected (generated tree):"), std::string::npos) << output;
    EXPECT_NE(output.find("filters.patterns.include [^nginx]; newest 2 versions per name.arch"), std::string::npos) << output;
    EXPECT_NE(output.find("keep-last-n (keep_count 3)"), std::string::npos) << output;
    EXPECT_NE(output.find("repo_gpgcheck, gpgcheck with " + (dir / "keys/upstream.asc").string()), std::string::npos) << output;
    EXPECT_NE(output.find("upstream's (mirror tree)"), std::string::npos) << output;
    EXPECT_FALSE(std::filesystem::exists(dir / "data"));
}

TEST(ConfigCheck, SchemaIsPrintedWithoutAConfig) {
    std::string output;
    ASSERT_EQ(run_command(stdout_of("CHANTAL_CONFIG=/nonexistent " + std::string(CHANTAL_BINARY) + " schema"), &output), 0)
        << output;
    const auto schema = nlohmann::json::parse(output);
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_TRUE(schema["properties"]["repositories"]["items"]["properties"].contains("feed"));
}
