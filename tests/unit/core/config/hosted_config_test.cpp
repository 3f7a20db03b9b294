// mode: hosted: a repository without a feed, filled by package upload. A
// feed, filters, a retention policy or its own verify: is refused at its
// line; a top-level verify: does not apply to it.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;
using test_support::write_text;

std::string load_error(const std::filesystem::path& file) {
    try {
        load_config(file);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << error.what();
        return error.what();
    }
    ADD_FAILURE() << "the config loaded";
    return "";
}

// A hosted repository "internal" whose entry continues with `body`.
void expect_refused(const std::string& body, int line, const std::string& text) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, "repositories:\n  - id: internal\n    mode: hosted\n" + body);
    const std::string message = load_error(file);
    EXPECT_NE(message.find(file.string() + ":" + std::to_string(line) + ":"), std::string::npos) << message;
    EXPECT_NE(message.find(text), std::string::npos) << message;
}

TEST(HostedConfig, HostedRepositoryNeedsNoFeedAndIgnoresTheTopLevelVerify) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(dir / "key.asc", "not read at load time\n");
    write_text(file,
               "verify:\n  key_files: [key.asc]\n"
               "repositories:\n  - id: internal\n    name: Internal tools\n    mode: hosted\n"
               "  - id: base\n    feed: http://example.test/base\n");
    const Config config = load_config(file);
    const RepositoryConfig& hosted = config.repository("internal");
    EXPECT_EQ(hosted.mode, RepositoryMode::hosted);
    EXPECT_EQ(std::string(repository_mode_name(hosted.mode)), "hosted");
    EXPECT_EQ(hosted.feed, "");
    EXPECT_EQ(hosted.name, "Internal tools");
    EXPECT_FALSE(hosted.verify.has_value());
    EXPECT_TRUE(config.repository("base").verify.has_value());
}

TEST(HostedConfig, FeedFiltersRetentionAndVerifyAreRefusedAtTheirLine) {
    expect_refused("    feed: http://example.test/x\n", 4, "mode 'hosted' has no upstream, so it takes no 'feed'");
    expect_refused("    filters:\n      patterns: {include: [x]}\n", 5,  // the line of the first filter
                   "mode 'hosted' cannot be combined with filters");
    expect_refused("    include_packages: [x]\n", 3, "mode 'hosted' cannot be combined with filters");
    expect_refused("    retention: {policy: newest-only}\n", 4, "mode 'hosted' cannot be combined with retention policy");
    expect_refused("    verify: {key_files: [k.asc]}\n", 4, "'verify' checks an upstream");
}

TEST(HostedConfig, UnknownModeNamesTheThree) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, "repositories:\n  - id: internal\n    feed: http://example.test/x\n    mode: uploaded\n");
    EXPECT_NE(load_error(file).find("mode must be 'mirror', 'filtered' or 'hosted'"), std::string::npos);
}

}  // namespace
}  // namespace chantal
