// type: apt: the apt: keys, their defaults and checks; verify: means the
// Release signature; what is not supported yet is refused at its line.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;
using test_support::write_text;

const std::string kHead = "repositories:\n  - id: debian\n    type: apt\n    feed: http://deb.example/debian\n";

std::string load_error(const std::string& text) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, text);
    try {
        load_config(file);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << error.what();
        return error.what();
    }
    ADD_FAILURE() << "the config loaded:\n" << text;
    return "";
}

TEST(AptConfig, KeysAndDefaults) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(dir / "key.asc", "not read at load time\n");
    write_text(file, kHead + "    apt:\n      distribution: bookworm\n"
                             "    verify: {key_files: [key.asc]}\n"
                             "  - id: ubuntu\n    type: apt\n    feed: http://archive.example/ubuntu/\n"
                             "    apt:\n      distribution: noble-updates\n      components: [main, universe]\n"
                             "      architectures: [amd64, arm64]\n      include_source_packages: true\n"
                             "      include_contents: true\n      include_translations: true\n      by_hash: false\n"
                             "      check_valid_until: false\n"
                             "  - id: flat\n    type: apt\n    feed: http://flat.example/repo\n"
                             "    apt: {flat_repository: true}\n");
    const Config config = load_config(file);
    ASSERT_EQ(config.repositories.size(), 3u);
    const RepositoryConfig& debian = config.repositories[0];
    EXPECT_EQ(debian.type, "apt");
    EXPECT_EQ(debian.mode, RepositoryMode::mirror);
    EXPECT_EQ(debian.apt.distribution, "bookworm");
    EXPECT_EQ(debian.apt.components, std::vector<std::string>{"main"});
    EXPECT_EQ(debian.apt.architectures, std::vector<std::string>{"amd64"});
    EXPECT_FALSE(debian.apt.include_source_packages);
    EXPECT_TRUE(debian.apt.by_hash);
    EXPECT_TRUE(debian.apt.check_valid_until);
    ASSERT_TRUE(debian.verify);
    EXPECT_TRUE(debian.verify->repo_gpgcheck);  // the Release signature
    EXPECT_FALSE(debian.verify->gpgcheck);      // .debs carry none that apt reads

    const RepositoryConfig& ubuntu = config.repositories[1];
    EXPECT_EQ(ubuntu.feed, "http://archive.example/ubuntu");
    EXPECT_EQ(ubuntu.apt.components, (std::vector<std::string>{"main", "universe"}));
    EXPECT_EQ(ubuntu.apt.architectures, (std::vector<std::string>{"amd64", "arm64"}));
    EXPECT_TRUE(ubuntu.apt.include_source_packages && ubuntu.apt.include_contents && ubuntu.apt.include_translations);
    EXPECT_FALSE(ubuntu.apt.by_hash);
    EXPECT_FALSE(ubuntu.apt.check_valid_until);

    EXPECT_TRUE(config.repositories[2].apt.flat_repository);
    EXPECT_EQ(config.repositories[2].apt.distribution, "");
}

TEST(AptConfig, FilteredRepositoriesTakeTheGeneratedTreeFields) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, kHead + "    apt:\n      distribution: bookworm\n      origin: Mine\n"
                             "    filters: {patterns: {include: ['^nginx']}}\n"
                             "  - id: other\n    type: apt\n    feed: http://x/\n    mode: filtered\n"
                             "    apt: {distribution: jammy, suite: picked, codename: pick, label: L, valid_until_days: 7}\n");
    const Config config = load_config(file);
    const RepositoryConfig& debian = config.repositories[0];
    EXPECT_EQ(debian.mode, RepositoryMode::filtered);
    EXPECT_EQ(debian.apt.origin, "Mine");
    EXPECT_EQ(debian.apt.suite, "bookworm");
    EXPECT_EQ(debian.apt.codename, "bookworm");
    EXPECT_EQ(debian.apt.label, "debian");
    const RepositoryConfig& other = config.repositories[1];
    EXPECT_EQ(other.apt.suite, "picked");
    EXPECT_EQ(other.apt.codename, "pick");
    EXPECT_EQ(other.apt.label, "L");
    EXPECT_EQ(other.apt.origin, "Chantal");
    EXPECT_EQ(other.apt.valid_until_days, 7);
    EXPECT_FALSE(other.apt.not_automatic || other.apt.but_automatic_upgrades);
    EXPECT_FALSE(debian.apt.valid_until_days);
    EXPECT_TRUE(config.warnings.empty());
}

TEST(AptConfig, NotAutomaticAndButAutomaticUpgrades) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, kHead + "    apt: {distribution: x, not_automatic: true, but_automatic_upgrades: true}\n"
                             "  - id: other\n    type: apt\n    feed: http://x/\n"
                             "    apt: {distribution: y, but_automatic_upgrades: true}\n");
    const Config config = load_config(file);
    EXPECT_TRUE(config.repositories[0].apt.not_automatic && config.repositories[0].apt.but_automatic_upgrades);
    EXPECT_FALSE(config.repositories[1].apt.not_automatic);
    ASSERT_EQ(config.warnings.size(), 1u);  // but_automatic_upgrades alone does nothing
    EXPECT_NE(config.warnings[0].find("'apt.but_automatic_upgrades' has no effect without apt.not_automatic"),
              std::string::npos)
        << config.warnings[0];
    EXPECT_NE(load_error(kHead + "    apt: {distribution: x, valid_until_days: 0}\n").find("valid_until_days"),
              std::string::npos);
}

TEST(AptConfig, RefusesWhatIsWrongOrNotSupportedYet) {
    EXPECT_NE(load_error(kHead).find("type apt needs an 'apt' mapping"), std::string::npos);
    EXPECT_NE(load_error(kHead + "    apt: {components: [main]}\n").find("'apt.distribution' is required"),
              std::string::npos);
    EXPECT_NE(load_error(kHead + "    apt: {distribution: ../../etc}\n").find("must be a path below dists/"),
              std::string::npos);
    EXPECT_NE(load_error(kHead + "    apt: {distribution: x, components: [main/../..]}\n").find("not a component name"),
              std::string::npos);
    EXPECT_NE(load_error(kHead + "    apt: {distribution: x, architectures: []}\n").find("lists no architecture"),
              std::string::npos);
    EXPECT_NE(load_error(kHead + "    apt: {flat_repository: true, distribution: x}\n").find("has no distribution"),
              std::string::npos);
    const std::string hosted = load_error("repositories:\n  - id: debian\n    type: apt\n    mode: hosted\n"
                                          "    apt: {distribution: x}\n");
    EXPECT_NE(hosted.find("not supported yet"), std::string::npos) << hosted;
    EXPECT_NE(load_error(kHead + "    apt: {distribution: x, suite: ../x}\n").find("'apt.suite' must be a path"),
              std::string::npos);
    const std::string view = load_error(kHead + "    apt: {distribution: x}\nviews:\n  - name: v\n    repos: [debian]\n");
    EXPECT_NE(view.find("views of APT repositories"), std::string::npos) << view;
    EXPECT_NE(load_error("repositories:\n  - id: r\n    type: apk\n    feed: http://x/\n").find("use rpm or apt"),
              std::string::npos);
}

TEST(AptConfig, AptKeysOnAnRpmRepositoryWarn) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, "repositories:\n  - id: r\n    feed: http://x/\n    apt: {distribution: x}\n");
    const Config config = load_config(file);
    ASSERT_EQ(config.warnings.size(), 1u);
    EXPECT_NE(config.warnings[0].find("no effect on a type rpm repository"), std::string::npos) << config.warnings[0];
}

}  // namespace
}  // namespace chantal
