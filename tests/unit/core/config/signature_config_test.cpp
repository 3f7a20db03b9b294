// verify: and gpg: sections (config.h): defaults, inheritance from the top
// level, `enabled: false`, and the errors a mistyped section gets.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;
using test_support::write_text;

namespace {

std::string load_error(const std::filesystem::path& file) {
    try {
        load_config(file);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << error.what();
        return error.what();
    }
    ADD_FAILURE() << "expected a config error";
    return "";
}

}  // namespace

TEST(SignatureConfig, TopLevelDefaultsAreInheritedAndReplaced) {
    TempDir dir;
    write_text(dir / "config.yaml", R"(verify:
  key_files: [keys/upstream.asc]
  client_key_name: RPM-GPG-KEY-{repo_id}
gpg:
  key_file: keys/signing.asc
  passphrase_file: keys/passphrase
repositories:
  - id: inherits
    feed: http://example.test/a
  - id: own
    feed: http://example.test/b
    verify:
      repo_gpgcheck: true
      gpgcheck: false
      keys: ["-----BEGIN PGP PUBLIC KEY BLOCK-----"]
      trusted_fingerprints: ["AAAA BBBB"]
      on_missing_signature: warn
      on_invalid_signature: skip
    gpg:
      generate_key: true
      public_key_name: RPM-GPG-KEY-own
  - id: none
    feed: http://example.test/c
    verify: {enabled: false}
    gpg: {enabled: false}
views:
  - name: inherited
    repos: [inherits]
  - name: unsigned
    repos: [own]
    gpg: {enabled: false}
)");
    const Config config = load_config(dir / "config.yaml");
    const auto& inherits = config.repository("inherits");
    ASSERT_TRUE(inherits.verify);
    EXPECT_FALSE(inherits.verify->repo_gpgcheck);  // dnf's defaults: package signatures only
    EXPECT_TRUE(inherits.verify->gpgcheck);
    EXPECT_EQ(inherits.verify->key_files, std::vector<std::filesystem::path>{dir / "keys/upstream.asc"});
    EXPECT_EQ(inherits.verify->client_key_name, "RPM-GPG-KEY-inherits");
    EXPECT_EQ(inherits.verify->on_missing_signature, SignatureProblemAction::fail);
    ASSERT_TRUE(inherits.signing);
    EXPECT_EQ(*inherits.signing->key_file, dir / "keys/signing.asc");
    EXPECT_EQ(inherits.signing->public_key_name, "RPM-GPG-KEY-chantal");

    const auto& own = config.repository("own");
    ASSERT_TRUE(own.verify);
    EXPECT_TRUE(own.verify->repo_gpgcheck);
    EXPECT_FALSE(own.verify->gpgcheck);
    EXPECT_TRUE(own.verify->key_files.empty());  // a repository's section replaces the default whole
    EXPECT_EQ(own.verify->trusted_fingerprints, std::vector<std::string>{"AAAA BBBB"});
    EXPECT_EQ(own.verify->on_missing_signature, SignatureProblemAction::warn);
    EXPECT_EQ(own.verify->on_invalid_signature, SignatureProblemAction::skip);
    EXPECT_EQ(own.verify->client_key_name, "");
    ASSERT_TRUE(own.signing);
    EXPECT_TRUE(own.signing->generate_key);
    EXPECT_EQ(own.signing->public_key_name, "RPM-GPG-KEY-own");

    EXPECT_FALSE(config.repository("none").verify);
    EXPECT_FALSE(config.repository("none").signing);
    ASSERT_TRUE(config.view("inherited").signing);
    EXPECT_EQ(*config.view("inherited").signing->key_file, dir / "keys/signing.asc");
    EXPECT_FALSE(config.view("unsigned").signing);
}

TEST(SignatureConfig, NothingConfiguredMeansNoChecksAndNoSigning) {
    TempDir dir;
    write_text(dir / "config.yaml", "repositories:\n  - id: a\n    feed: http://example.test/a\n");
    const Config config = load_config(dir / "config.yaml");
    EXPECT_FALSE(config.repository("a").verify);
    EXPECT_FALSE(config.repository("a").signing);
}

TEST(SignatureConfig, MistakesAreNamedWithTheirLine) {
    TempDir dir;
    const auto expect = [&](const std::string& body, const std::string& text) {
        write_text(dir / "config.yaml", "repositories:\n  - id: a\n    feed: http://example.test/a\n" + body);
        const std::string message = load_error(dir / "config.yaml");
        EXPECT_NE(message.find(text), std::string::npos) << message;
        EXPECT_NE(message.find((dir / "config.yaml").string() + ":"), std::string::npos) << message;
    };
    expect("    verify: {gpgcheck: true}\n", "needs the keys to trust");
    expect("    verify: {key_files: [k], gpgcheck: false}\n", "checks nothing");
    expect("    verify: {key_files: [k], on_missing_signature: warning}\n", "must be fail, warn or skip, not 'warning'");
    expect("    verify: {key_files: [k], gpg_check: true}\n", "did you mean 'gpgcheck'");
    expect("    verify: {key_files: [k], client_key_name: ../key}\n", "plain file name");
    expect("    gpg: {passphrase: x}\n", "needs a key");
    expect("    gpg: {key_file: a, generate_key: true}\n", "one key source");
    expect("    gpg: {key_file: a, passphrase: x, passphrase_file: y}\n", "not both");
    expect("    gpg: {key_file: a, public_key_name: repodata}\n", "plain file name");
}
