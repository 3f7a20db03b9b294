// filters.metadata.{size_bytes,build_time}, filters.rpm.{groups,licenses,
// vendors,epochs}, filters.deb.{priorities,sections} (each format's own
// filters warn and do nothing on the other type), the deprecated flat filter keys and retention: loaded as
// written, bad values refused with the key named.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "core/config/iso_time.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;
using test_support::write_text;

namespace {

std::filesystem::path write_repository(TempDir& dir, const std::string& body) {
    const auto file = dir / "config.yaml";
    write_text(file, "repositories:\n  - id: base\n    feed: http://example.test/base\n" + body);
    return file;
}

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

void expect_refused(const std::string& body, int line, const std::string& text) {
    TempDir dir;
    const auto file = write_repository(dir, body);
    const std::string message = load_error(file);
    EXPECT_NE(message.find(file.string() + ":" + std::to_string(line) + ":"), std::string::npos) << message;
    EXPECT_NE(message.find(text), std::string::npos) << message;
}

}  // namespace

TEST(IsoTime, DatesAndDatetimes) {
    EXPECT_EQ(parse_iso_time("1970-01-01"), 0);
    EXPECT_EQ(parse_iso_time("2024-01-01"), 1704067200);
    EXPECT_EQ(parse_iso_time("2024-01-01T00:00:00"), 1704067200);
    EXPECT_EQ(parse_iso_time("2024-01-01 12:30"), 1704067200 + 12 * 3600 + 30 * 60);
    EXPECT_EQ(parse_iso_time("2024-01-01T12:00:00Z"), 1704067200 + 12 * 3600);
    EXPECT_EQ(parse_iso_time("2024-01-01T12:00:00.123+02:00"), 1704067200 + 10 * 3600);
    EXPECT_EQ(parse_iso_time("2024-01-01T12:00:00-0130"), 1704067200 + 13 * 3600 + 30 * 60);
    EXPECT_EQ(parse_iso_time("2024-02-29"), 1709164800);
    for (const char* bad : {"", "2024", "2024-1-01", "2024-02-30", "2023-02-29", "2024-01-01T24:00", "2024-01-01T12",
                            "2024-01-01X", "2024-01-01T12:00:00+25:00", "yesterday", "2024-01-01T12:00:00Zjunk"})
        EXPECT_FALSE(parse_iso_time(bad).has_value()) << bad;
    EXPECT_EQ(start_of_utc_day(1704067200 + 86399), 1704067200);
    EXPECT_EQ(start_of_utc_day(1704067200), 1704067200);
}

TEST(FilterConfig, EveryFilterLoads) {
    TempDir dir;
    Config config = load_config(write_repository(dir, R"(    filters:
      metadata:
        size_bytes: {min: 100, max: 5000000000}
        build_time: {newer_than: "2024-01-01", older_than: 2024-06-30T12:00:00Z, last_n_days: 90}
      rpm:
        groups: {include: ["^System"], exclude: [Games]}
        licenses: {include: [MIT, "GPLv2+"]}
        vendors: {exclude: ["Acme.*"]}
        epochs: {include: [0, "1"], exclude: ["2"]}
)"));
    const RepositoryConfig& repository = config.repository("base");
    const RepositoryFilters& filters = repository.filters;
    EXPECT_EQ(repository.mode, RepositoryMode::filtered);
    EXPECT_EQ(filters.size_bytes.min, 100u);
    EXPECT_EQ(filters.size_bytes.max, 5000000000u);
    EXPECT_EQ(filters.build_time.newer_than, 1704067200);
    EXPECT_EQ(filters.build_time.older_than, parse_iso_time("2024-06-30T12:00:00Z"));
    EXPECT_EQ(filters.build_time.last_n_days, 90);
    EXPECT_EQ(filters.build_time.newer_than_text, "2024-01-01");
    EXPECT_EQ(filters.groups.include, (std::vector<std::string>{"^System"}));
    EXPECT_EQ(filters.groups.exclude, (std::vector<std::string>{"Games"}));
    EXPECT_EQ(filters.licenses.include, (std::vector<std::string>{"MIT", "GPLv2+"}));
    EXPECT_EQ(filters.vendors.exclude, (std::vector<std::string>{"Acme.*"}));
    EXPECT_EQ(filters.epochs.include, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_EQ(filters.epochs.exclude, (std::vector<std::uint64_t>{2}));
    EXPECT_TRUE(filters.needs_package_details());
    EXPECT_TRUE(config.warnings.empty()) << config.warnings.front();
}

TEST(FilterConfig, DebFiltersLoadOnAptAndWarnElsewhere) {
    TempDir dir;
    const auto file = dir / "config.yaml";
    write_text(file, R"(repositories:
  - id: debian
    type: apt
    feed: http://deb.example/debian
    apt: {distribution: bookworm}
    filters:
      deb: {priorities: [required, important], sections: [net, contrib/web]}
  - id: rpm-with-deb
    feed: http://example.test/base
    filters:
      deb: {sections: [net]}
  - id: apt-with-rpm
    type: apt
    feed: http://deb.example/debian
    apt: {distribution: bookworm}
    filters:
      patterns: {include: [nginx]}
      rpm: {groups: {include: [net]}, exclude_source_rpms: true}
)");
    const Config config = load_config(file);
    const RepositoryFilters& debian = config.repository("debian").filters;
    EXPECT_EQ(config.repository("debian").mode, RepositoryMode::filtered);
    EXPECT_EQ(debian.deb_priorities, (std::vector<std::string>{"required", "important"}));
    EXPECT_EQ(debian.deb_sections, (std::vector<std::string>{"net", "contrib/web"}));
    EXPECT_TRUE(debian.needs_package_details());
    // The other format's filters select nothing there: dropped, with a warning at their line.
    EXPECT_FALSE(config.repository("rpm-with-deb").filters.has_deb_filters());
    EXPECT_EQ(config.repository("rpm-with-deb").mode, RepositoryMode::mirror);
    EXPECT_FALSE(config.repository("apt-with-rpm").filters.has_rpm_filters());
    EXPECT_EQ(config.repository("apt-with-rpm").filters.patterns.include, (std::vector<std::string>{"nginx"}));
    ASSERT_EQ(config.warnings.size(), 2u);
    EXPECT_NE(config.warnings[0].find(file.string() + ":11: repository 'rpm-with-deb': 'filters.deb' has no effect on "
                                                        "a type rpm repository"),
              std::string::npos)
        << config.warnings[0];
    EXPECT_NE(config.warnings[1].find(":18: repository 'apt-with-rpm': 'filters.rpm' has no effect on a type apt "
                                      "repository"),
              std::string::npos)
        << config.warnings[1];
}

TEST(FilterConfig, BadValuesNameTheKey) {
    expect_refused("    filters:\n      metadata:\n        size_bytes: {min: -1}\n", 6,
                   "'size_bytes.min' must be a non-negative integer, not '-1'");
    expect_refused("    filters:\n      metadata:\n        size_bytes: {max: big}\n", 6,
                   "'size_bytes.max' must be a non-negative integer, not 'big'");
    expect_refused("    filters:\n      metadata:\n        size_bytes: {min: 10, max: 5}\n", 6,
                   "'filters.metadata.size_bytes': min (10) is larger than max (5)");
    expect_refused("    filters:\n      metadata:\n        size_bytes: {maxx: 5}\n", 6,
                   "unknown key 'maxx' in 'size_bytes'; did you mean 'max'?");
    expect_refused("    filters:\n      metadata:\n        build_time: {newer_than: 01/02/2024}\n", 6,
                   "'filters.metadata.build_time.newer_than' must be a date (YYYY-MM-DD)");
    expect_refused("    filters:\n      metadata:\n        build_time: {older_than: \"2024-02-30\"}\n", 6,
                   "'filters.metadata.build_time.older_than'");
    expect_refused("    filters:\n      metadata:\n        build_time: {last_n_days: 0}\n", 6,
                   "'filters.metadata.build_time.last_n_days' must be an integer from 1 to 100000, not '0'");
    expect_refused("    filters:\n      metadata:\n        build_time: {last_n_days: week}\n", 6,
                   "'filters.metadata.build_time.last_n_days'");
    expect_refused("    filters:\n      metadata:\n        build_time: {newer_than: 2024-06-01, older_than: 2024-01-01}\n", 6,
                   "newer_than (2024-06-01) is after older_than (2024-01-01)");
    expect_refused("    filters:\n      rpm:\n        licenses: {include: [\"GPL(\"]}\n", 6,
                   "'filters.rpm.licenses.include': invalid regular expression 'GPL('");
    expect_refused("    filters:\n      rpm:\n        groups: {inclde: [x]}\n", 6, "unknown key 'inclde' in 'groups'");
    expect_refused("    filters:\n      rpm:\n        epochs: {include: [one]}\n", 6,
                   "'filters.rpm.epochs.include' must list non-negative integers, not 'one'");
    expect_refused("    filters:\n      rpm:\n        epochs: {exclude: [\"-1\"]}\n", 6,
                   "'filters.rpm.epochs.exclude' must list non-negative integers, not '-1'");
}

TEST(FilterConfig, DeprecatedFlatKeysBecomeTheirNewFormWithAWarning) {
    TempDir dir;
    const auto file = write_repository(dir, R"(    include_packages: ["^nginx"]
    exclude_architectures: [i686]
    filters:
      include_architectures: [x86_64]
      exclude_packages: ["-debuginfo$"]
)");
    Config config = load_config(file);
    const RepositoryFilters& filters = config.repository("base").filters;
    EXPECT_EQ(filters.patterns.include, (std::vector<std::string>{"^nginx"}));
    EXPECT_EQ(filters.patterns.exclude, (std::vector<std::string>{"-debuginfo$"}));
    EXPECT_EQ(filters.architectures.include, (std::vector<std::string>{"x86_64"}));
    EXPECT_EQ(filters.architectures.exclude, (std::vector<std::string>{"i686"}));
    EXPECT_EQ(config.repository("base").mode, RepositoryMode::filtered);
    ASSERT_EQ(config.warnings.size(), 4u);
    const std::string all = config.warnings[0] + "\n" + config.warnings[1] + "\n" + config.warnings[2] + "\n" + config.warnings[3];
    EXPECT_NE(all.find(file.string() + ":4: 'include_packages' is deprecated; use 'filters.patterns.include'"),
              std::string::npos) << all;
    EXPECT_NE(all.find(file.string() + ":5: 'exclude_architectures' is deprecated; use "
                                       "'filters.metadata.architectures.exclude'"),
              std::string::npos) << all;
    EXPECT_NE(all.find("'filters.include_architectures' is deprecated; use 'filters.metadata.architectures.include'"),
              std::string::npos) << all;
    EXPECT_NE(all.find("'filters.exclude_packages' is deprecated; use 'filters.patterns.exclude'"), std::string::npos)
        << all;
    expect_refused("    include_packages: [\"nginx(\"]\n", 4, "'include_packages': invalid regular expression");
}

TEST(FilterConfig, RetentionPolicies) {
    {
        TempDir dir;
        Config config = load_config(write_repository(dir, "    retention: {policy: keep-last-n, keep_count: 3}\n"));
        const RepositoryConfig& repository = config.repository("base");
        EXPECT_EQ(repository.retention.policy, RetentionPolicy::keep_last_n);
        EXPECT_EQ(repository.retention.versions_kept(), 3);
        EXPECT_EQ(repository.mode, RepositoryMode::filtered);  // latest no longer is upstream's tree
        EXPECT_TRUE(config.warnings.empty());
    }
    {
        TempDir dir;
        Config config = load_config(write_repository(dir, "    retention: {policy: newest-only}\n"));
        EXPECT_EQ(config.repository("base").retention.versions_kept(), 1);
    }
    {
        TempDir dir;
        Config config = load_config(write_repository(dir, "    retention: {policy: keep-all}\n"));
        EXPECT_EQ(config.repository("base").retention.policy, RetentionPolicy::keep_all);
        EXPECT_EQ(config.repository("base").retention.versions_kept(), 0);
        EXPECT_EQ(config.repository("base").mode, RepositoryMode::filtered);
    }
    {
        TempDir dir;
        Config config = load_config(write_repository(dir, "    retention: {policy: mirror}\n"));
        EXPECT_EQ(config.repository("base").mode, RepositoryMode::mirror);
    }
    {
        TempDir dir;
        Config config = load_config(write_repository(dir, "    retention: {policy: newest-only, keep_count: 4}\n"));
        ASSERT_EQ(config.warnings.size(), 1u);
        EXPECT_NE(config.warnings[0].find("'retention.keep_count' has no effect with policy 'newest-only'"),
                  std::string::npos);
    }
    expect_refused("    retention: {policy: keep-last-n}\n", 4, "retention policy keep-last-n needs 'keep_count'");
    expect_refused("    retention: {policy: keep-last-n, keep_count: 0}\n", 4, "'keep_count' must be between 1 and");
    expect_refused("    retention: {policy: keep-last}\n", 4,
                   "'retention.policy' must be mirror, newest-only, keep-last-n or keep-all, not 'keep-last'; did you "
                   "mean 'keep-last-n'?");
    expect_refused("    mode: mirror\n    retention: {policy: newest-only}\n", 4,
                   "mode 'mirror' cannot be combined with retention policy 'newest-only'");
}

TEST(DatabaseConfig, PostgresqlIsRefusedWithTheSqliteForm) {
    for (const std::string url : {"postgresql://chantal:hunter2@localhost/chantal", "postgres://db.example.test/chantal",
                                  "postgresql+psycopg2://chantal:hunter2@localhost:5432/chantal"}) {
        TempDir dir;
        write_text(dir / "config.yaml", "database:\n  url: " + url + "\n");
        const std::string message = load_error(dir / "config.yaml");
        EXPECT_NE(message.find((dir / "config.yaml").string() + ":2:"), std::string::npos) << message;
        EXPECT_NE(message.find("PostgreSQL"), std::string::npos) << message;
        EXPECT_NE(message.find("SQLite"), std::string::npos) << message;
        EXPECT_NE(message.find("sqlite:////var/lib/chantal/chantal.db"), std::string::npos) << message;
        EXPECT_EQ(message.find("hunter2"), std::string::npos) << "the password leaked: " << message;
    }
    TempDir dir;
    write_text(dir / "config.yaml", "database:\n  url: mysql://root:hunter2@localhost/chantal\n");
    const std::string message = load_error(dir / "config.yaml");
    EXPECT_NE(message.find("'database.url' mysql:... is not supported"), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}
