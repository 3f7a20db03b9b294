#include "core/config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/base/error.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;
using test_support::write_text;

namespace {

// Expects load_config to fail with a message containing file:line and text.
void expect_config_error(const std::filesystem::path& file, int line, const std::string& text) {
    try {
        load_config(file);
        FAIL() << "expected an error containing '" << text << "'";
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << message;
        EXPECT_NE(message.find(file.string() + ":" + std::to_string(line) + ":"), std::string::npos)
            << "message lacks file:line: " << message;
        EXPECT_NE(message.find(text), std::string::npos) << message;
    }
}

const char* kMinimalRepository = "repositories:\n  - id: base\n    feed: http://example.test/base\n";

}  // namespace

TEST(Config, FullFileWithDefaultsAndRelativePaths) {
    TempDir dir;
    write_text(dir / "etc/config.yaml", R"(database:
  url: sqlite:///db/chantal.db
storage:
  base_path: data
  published_path: /srv/published
download:
  parallel: 4
  timeout: 30
  retry_attempts: 5
proxy:
  https_proxy: http://proxy.test:3128
  no_proxy: localhost
ssl:
  ca_bundle: ca.pem
  verify: true
repositories:
  - id: rhel9-baseos
    name: RHEL 9 BaseOS
    type: rpm
    feed: https://cdn.example.test/rhel9/baseos/
    ssl:
      client_cert: /etc/pki/entitlement/1.pem
      client_key: /etc/pki/entitlement/1-key.pem
  - id: epel
    feed: file:///srv/epel
    enabled: false
    filters:
      patterns: {include: ["^nginx-.*"], exclude: [".*-debuginfo$"]}
      metadata: {architectures: {include: [x86_64, noarch]}}
      rpm: {exclude_source_rpms: true}
      post_processing: {only_latest_n_versions: 2}
views:
  - name: all
    description: both
    repos: [rhel9-baseos, epel]
)");
    Config config = load_config(dir / "etc/config.yaml");
    EXPECT_EQ(config.database_path, dir.path() / "etc/db/chantal.db");
    EXPECT_EQ(config.storage.base_path, dir.path() / "etc/data");
    EXPECT_EQ(config.storage.pool_path, dir.path() / "etc/data/pool");
    EXPECT_EQ(config.storage.temp_path, dir.path() / "etc/data/tmp");
    EXPECT_EQ(config.storage.published_path, "/srv/published");
    EXPECT_EQ(config.download.parallel, 4);
    EXPECT_EQ(config.download.timeout_seconds, 30);
    EXPECT_EQ(config.download.retry_attempts, 5);
    EXPECT_EQ(config.proxy.https_proxy, "http://proxy.test:3128");
    EXPECT_EQ(*config.tls.ca_bundle, dir.path() / "etc/ca.pem");
    ASSERT_EQ(config.repositories.size(), 2u);
    const auto& rhel = config.repository("rhel9-baseos");
    EXPECT_EQ(rhel.feed, "https://cdn.example.test/rhel9/baseos");  // trailing slash dropped
    EXPECT_EQ(rhel.mode, RepositoryMode::mirror);
    EXPECT_EQ(*rhel.tls.client_cert, "/etc/pki/entitlement/1.pem");
    const auto& epel = config.repository("epel");
    EXPECT_FALSE(epel.enabled);
    EXPECT_EQ(epel.name, "epel");
    EXPECT_EQ(epel.mode, RepositoryMode::filtered);  // filters imply filtered
    EXPECT_EQ(epel.filters.patterns.include, std::vector<std::string>{"^nginx-.*"});
    EXPECT_EQ(epel.filters.architectures.include, (std::vector<std::string>{"x86_64", "noarch"}));
    EXPECT_TRUE(epel.filters.exclude_source_rpms);
    EXPECT_EQ(epel.filters.only_latest_n_versions, 2);
    EXPECT_EQ(config.view("all").repos, (std::vector<std::string>{"rhel9-baseos", "epel"}));
    EXPECT_TRUE(config.warnings.empty());
}

TEST(Config, DefaultsWithoutStorageSection) {
    TempDir dir;
    write_text(dir / "c.yaml", kMinimalRepository);
    Config config = load_config(dir / "c.yaml");
    EXPECT_EQ(config.storage.base_path, "/var/lib/chantal");
    EXPECT_EQ(config.storage.pool_path, "/var/lib/chantal/pool");
    EXPECT_EQ(config.storage.temp_path, "/var/lib/chantal/tmp");
    EXPECT_EQ(config.database_path, "/var/lib/chantal/chantal.db");
    EXPECT_EQ(config.download.parallel, 8);
}

TEST(Config, IncludesMergeRepositoriesAndViewsRelativeToTheIncludingFile) {
    TempDir dir;
    write_text(dir / "main/config.yaml", std::string(kMinimalRepository) + "include: conf.d/*.yaml\n");
    write_text(dir / "main/conf.d/20-views.yaml", "views:\n  - name: v\n    repos: [base, extra]\n");
    write_text(dir / "main/conf.d/10-extra.yaml", "repositories:\n  - id: extra\n    feed: https://x.test/extra\n");
    write_text(dir / "main/conf.d/ignored.txt", "garbage: [");
    Config config = load_config(dir / "main/config.yaml");
    ASSERT_EQ(config.repositories.size(), 2u);
    EXPECT_EQ(config.repositories[1].id, "extra");
    EXPECT_EQ(config.repositories[1].location.file, dir.path() / "main/conf.d/10-extra.yaml");
    EXPECT_EQ(config.repositories[1].location.line, 2);
    EXPECT_EQ(config.view("v").repos.size(), 2u);
}

TEST(Config, UnknownKeyNamesFileAndLine) {
    TempDir dir;
    write_text(dir / "c.yaml", "download:\n  parallel: 2\n  paralel: 3\n");
    expect_config_error(dir / "c.yaml", 3, "unknown key 'paralel'");
}

TEST(Config, MisspelledRequiredKeyIsNamedFirst) {
    TempDir dir;
    write_text(dir / "c.yaml", "repositories:\n  - id: one\n    fead: http://x.test/\n");
    expect_config_error(dir / "c.yaml", 3, "unknown key 'fead' in 'repositories[]'; did you mean 'feed'?");
    // A missing key with nothing like it stays "needs".
    write_text(dir / "d.yaml", "repositories:\n  - id: one\n    name: One\n");
    expect_config_error(dir / "d.yaml", 2, "'repositories[]' needs 'feed'");
    // An unknown key is named with the nearest known one.
    write_text(dir / "e.yaml", "download:\n  paralel: 3\n");
    expect_config_error(dir / "e.yaml", 2, "unknown key 'paralel' in 'download'; did you mean 'parallel'?");
}

TEST(Config, UnknownKeyInsideIncludedFileNamesThatFile) {
    TempDir dir;
    write_text(dir / "c.yaml", std::string(kMinimalRepository) + "include: more.yaml\n");
    write_text(dir / "more.yaml", "repositories:\n  - id: two\n    feed: http://x.test/\n    feeed: typo\n");
    expect_config_error(dir / "more.yaml", 4, "unknown key 'feeed'");
}

TEST(Config, WrongTypes) {
    TempDir dir;
    write_text(dir / "a.yaml", "download:\n  parallel: many\n");
    expect_config_error(dir / "a.yaml", 2, "'parallel' must be an integer");
    write_text(dir / "b.yaml", std::string(kMinimalRepository) + "    enabled: maybe\n");
    expect_config_error(dir / "b.yaml", 4, "'enabled' must be true or false");
    write_text(dir / "c.yaml", "repositories: {id: x}\n");
    expect_config_error(dir / "c.yaml", 1, "'repositories' must be a list");
    write_text(dir / "d.yaml", "download:\n  parallel: 0\n");
    expect_config_error(dir / "d.yaml", 2, "between 1 and 100");
}

TEST(Config, MissingIdOrFeed) {
    TempDir dir;
    write_text(dir / "a.yaml", "repositories:\n  - name: no id\n    feed: http://x.test/\n");
    expect_config_error(dir / "a.yaml", 2, "needs 'id'");
    write_text(dir / "b.yaml", "repositories:\n  - id: nofeed\n");
    expect_config_error(dir / "b.yaml", 2, "needs 'feed'");
}

TEST(Config, DuplicateRepositoryIdNamesBothPlaces) {
    TempDir dir;
    write_text(dir / "c.yaml", std::string(kMinimalRepository) + "  - id: base\n    feed: http://other.test/\n");
    expect_config_error(dir / "c.yaml", 4, "duplicate repository id 'base'");
}

TEST(Config, ViewNamingUnknownRepository) {
    TempDir dir;
    write_text(dir / "c.yaml", std::string(kMinimalRepository) + "views:\n  - name: v\n    repos: [base, nope]\n");
    expect_config_error(dir / "c.yaml", 5, "unknown repository 'nope'");
}

TEST(Config, InvalidRegexInFilters) {
    TempDir dir;
    write_text(dir / "c.yaml", std::string(kMinimalRepository) + "    filters:\n      patterns:\n        include: [\"(unclosed\"]\n");
    expect_config_error(dir / "c.yaml", 6, "invalid regular expression '(unclosed'");
}

TEST(Config, MirrorModeWithFiltersIsRefused) {
    TempDir dir;
    write_text(dir / "c.yaml", std::string(kMinimalRepository) +
                                   "    mode: mirror\n    filters:\n      rpm: {exclude_source_rpms: true}\n");
    expect_config_error(dir / "c.yaml", 4, "cannot be combined with filters");
}

TEST(Config, YamlSyntaxErrorNamesLine) {
    TempDir dir;
    write_text(dir / "c.yaml", "repositories:\n  - id: x\n    feed: [unclosed\n");
    try {
        load_config(dir / "c.yaml");
        FAIL();
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find((dir / "c.yaml").string() + ":"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("YAML syntax error"), std::string::npos) << error.what();
    }
}

TEST(Config, BadFeedSchemeAndIdentifiers) {
    TempDir dir;
    write_text(dir / "a.yaml", "repositories:\n  - id: x\n    feed: ftp://old.test/\n");
    expect_config_error(dir / "a.yaml", 2, "http://, https:// or file://");
    write_text(dir / "b.yaml", "repositories:\n  - id: ../etc\n    feed: http://x.test/\n");
    expect_config_error(dir / "b.yaml", 2, "may only contain");
    write_text(dir / "c.yaml", "database:\n  url: postgresql://u:secret@db/chantal\n");
    try {
        load_config(dir / "c.yaml");
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(std::string(error.what()).find("secret"), std::string::npos) << "password leaked: " << error.what();
    }
}

TEST(Config, PythonChantalKeysAreAcceptedWithWarning) {
    TempDir dir;
    write_text(dir / "c.yaml", std::string(kMinimalRepository) +
                                   "    tags: [prod]\n    retention: {policy: mirror}\n"
                                   "database:\n  url: sqlite:////tmp/x.db\n  pool_size: 5\n");
    Config config = load_config(dir / "c.yaml");
    EXPECT_EQ(config.database_path, "/tmp/x.db");
    ASSERT_EQ(config.warnings.size(), 2u);  // retention acts (filter_config_test.cpp)
    for (const char* key : {"tags", "pool_size"}) {
        bool mentioned = false;
        for (const auto& warning : config.warnings) mentioned |= warning.find(key) != std::string::npos;
        EXPECT_TRUE(mentioned) << key;
    }
}

TEST(Config, BasicAuthAndClientCertAuth) {
    TempDir dir;
    write_text(dir / "c.yaml", R"(repositories:
  - id: a
    feed: https://a.test/
    auth: {type: basic, username: mirror, password: s3cret}
  - id: b
    feed: https://b.test/
    auth: {type: client_cert, cert_dir: /etc/pki/entitlement, cert_file: 1.pem, key_file: 1-key.pem}
)");
    Config config = load_config(dir / "c.yaml");
    EXPECT_EQ(config.repository("a").basic_auth->password, "s3cret");
    EXPECT_EQ(*config.repository("b").tls.client_cert, "/etc/pki/entitlement/1.pem");
    EXPECT_EQ(*config.repository("b").tls.client_key, "/etc/pki/entitlement/1-key.pem");
}

TEST(Config, DiscoveryOrder) {
    TempDir dir;
    write_text(dir / "explicit.yaml", kMinimalRepository);
    write_text(dir / "env.yaml", kMinimalRepository);
    EXPECT_EQ(discover_config_file(dir / "explicit.yaml"), dir / "explicit.yaml");
    EXPECT_THROW(discover_config_file(dir / "missing.yaml"), Error);
    ::setenv("CHANTAL_CONFIG", (dir / "env.yaml").c_str(), 1);
    EXPECT_EQ(discover_config_file(std::nullopt), dir / "env.yaml");
    EXPECT_EQ(discover_config_file(dir / "explicit.yaml"), dir / "explicit.yaml");  // --config wins
    ::unsetenv("CHANTAL_CONFIG");
}
