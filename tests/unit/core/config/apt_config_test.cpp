// type: apt: the apt: keys, their defaults and checks; verify: means the
// Release signature; what is not supported yet is refused at its line.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "core/tree/tree.h"
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
    EXPECT_NE(load_error(kHead + "    apt: {distribution: x, suite: ../x}\n").find("'apt.suite' must be a path"),
              std::string::npos);
    const std::string mixed = load_error(kHead + "    apt: {distribution: x}\n  - id: r\n    feed: http://x/\n"
                                                 "views:\n  - name: v\n    repos: [debian, r]\n");
    EXPECT_NE(mixed.find("a view's repositories have one type"), std::string::npos) << mixed;
    EXPECT_NE(load_error(kHead + "    apt: {distribution: x}\nviews:\n  - name: v\n    repos: [debian]\n"
                                 "    apt: {suite: ../up}\n")
                  .find("'apt.suite' must be a path below dists/"),
              std::string::npos);
    EXPECT_NE(load_error("repositories:\n  - id: r\n    type: apk\n    feed: http://x/\n").find("use rpm or apt"),
              std::string::npos);
}

TEST(AptConfig, AViewOfAptRepositoriesNamesItsSuiteAndMergesItsMembersSelections) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, kHead + "    apt: {distribution: bookworm, components: [main, contrib], architectures: [amd64]}\n"
                             "  - id: local\n    type: apt\n    feed: http://local.example/\n"
                             "    apt: {distribution: local, components: [main, extra], architectures: [arm64, amd64]}\n"
                             "views:\n  - name: fleet\n    repos: [local, debian]\n"
                             "  - name: named\n    repos: [debian]\n    apt: {suite: stable, origin: Example}\n");
    const Config config = load_config(file);
    const AptSettings fleet = view_apt_settings(config, config.view("fleet"));
    EXPECT_EQ(fleet.suite, "fleet");
    EXPECT_EQ(fleet.codename, "fleet");
    EXPECT_EQ(fleet.label, "fleet");
    EXPECT_EQ(fleet.origin, "Chantal");
    EXPECT_EQ(fleet.components, (std::vector<std::string>{"main", "extra", "contrib"}));
    EXPECT_EQ(fleet.architectures, (std::vector<std::string>{"arm64", "amd64"}));
    const AptSettings named = view_apt_settings(config, config.view("named"));
    EXPECT_EQ(named.suite, "stable");
    EXPECT_EQ(named.codename, "stable");
    EXPECT_EQ(named.origin, "Example");
    EXPECT_EQ(named.label, "named");
}

TEST(AptConfig, HostedAptRepositoriesHaveNoFeed) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, "repositories:\n  - id: local\n    type: apt\n    mode: hosted\n"
                     "    apt: {distribution: stable, components: [main, extra]}\n");
    const Config config = load_config(file);
    const RepositoryConfig& hosted = config.repository("local");
    EXPECT_EQ(hosted.mode, RepositoryMode::hosted);
    EXPECT_TRUE(hosted.feed.empty());
    EXPECT_EQ(hosted.apt.components, (std::vector<std::string>{"main", "extra"}));
    const std::string flat = load_error("repositories:\n  - id: local\n    type: apt\n    mode: hosted\n"
                                        "    apt: {flat_repository: true}\n");
    EXPECT_NE(flat.find("mode 'hosted' has no upstream"), std::string::npos) << flat;
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
