// auth: types bearer, custom and client_cert with cert_dir; bad values
// refused with the key named and no secret in the message.
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/config/config.h"
#include "core/download/download_settings.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;
using test_support::write_text;

namespace {

std::filesystem::path write_auth(TempDir& dir, const std::string& auth) {
    const auto file = dir / "config.yaml";
    write_text(file, "repositories:\n  - id: base\n    feed: https://example.test/base\n    auth: " + auth + "\n");
    return file;
}

std::string load_error(const std::filesystem::path& file) {
    try {
        load_config(file);
    } catch (const Error& error) {
        return error.what();
    }
    ADD_FAILURE() << "the config loaded";
    return "";
}

}  // namespace

TEST(AuthConfig, BearerTokenBecomesTheDownloadersBearer) {
    TempDir dir;
    Config config = load_config(write_auth(dir, "{type: bearer, token: t0ken-s3cret}"));
    const RepositoryConfig& repository = config.repository("base");
    EXPECT_EQ(repository.bearer_token, "t0ken-s3cret");
    const DownloadOptions options = download_options_for(config, repository);
    EXPECT_EQ(options.bearer_token, "t0ken-s3cret");
    EXPECT_TRUE(options.headers.empty());
}

TEST(AuthConfig, CustomHeadersInOrder) {
    TempDir dir;
    Config config = load_config(write_auth(dir, "{type: custom, headers: {X-Api-Key: k3y-s3cret, X-Tenant: blue}}"));
    const RepositoryConfig& repository = config.repository("base");
    ASSERT_EQ(repository.headers.size(), 2u);
    EXPECT_EQ(repository.headers[0].name, "X-Api-Key");
    const DownloadOptions options = download_options_for(config, repository);
    EXPECT_EQ(options.headers, (std::vector<std::string>{"X-Api-Key: k3y-s3cret", "X-Tenant: blue"}));
}

TEST(AuthConfig, BadAuthIsRefusedWithoutQuotingSecrets) {
    struct Case {
        const char* auth;
        const char* expected;
    };
    for (const Case& c : {Case{"{type: bearer}", "auth type bearer needs 'token'"},
                          Case{"{type: bearer, token: \"\"}", "auth type bearer needs 'token'"},
                          Case{"{type: custom}", "auth type custom needs 'headers'"},
                          Case{"{type: custom, headers: [a, b]}", "'auth.headers' must be a mapping"},
                          Case{"{type: custom, headers: {\"Bad Name\": s3cret}}", "'Bad Name' is not a valid HTTP header name"},
                          Case{"{type: custom, headers: {X-Key: {nested: s3cret}}}", "'auth.headers.X-Key' must be a string"},
                          Case{"{type: custom, headers: {X-Key: \"s3cret\\nInjected: yes\"}}", "'auth.headers.X-Key' must be one line"},
                          Case{"{type: beerer, token: s3cret}", "auth type 'beerer' is not supported (use basic, bearer, custom or "
                                                                "client_cert); did you mean 'bearer'?"},
                          Case{"{type: client_cert}", "auth type client_cert needs 'cert_file' or 'cert_dir'"},
                          Case{"{type: bearer, token: s3cret, tokn: x}", "unknown key 'tokn' in 'auth'"}}) {
        TempDir dir;
        const auto file = write_auth(dir, c.auth);
        const std::string message = load_error(file);
        EXPECT_NE(message.find(file.string() + ":"), std::string::npos) << message;
        EXPECT_NE(message.find(c.expected), std::string::npos) << c.auth << " -> " << message;
        EXPECT_EQ(message.find("s3cret"), std::string::npos) << "a secret leaked: " << message;
    }
}

TEST(AuthConfig, CertDirPicksTheNewestEntitlementPairAtEachSync) {
    TempDir dir;
    const auto entitlement = dir / "entitlement";
    write_text(entitlement / "1111.pem", "old cert");
    write_text(entitlement / "1111-key.pem", "old key");
    write_text(entitlement / "2222.pem", "new cert");
    write_text(entitlement / "2222-key.pem", "new key");
    write_text(entitlement / "3333.pem", "a certificate without its key");
    write_text(entitlement / "redhat-uep.pem", "a CA, not an entitlement");
    const auto now = std::filesystem::file_time_type::clock::now();
    std::filesystem::last_write_time(entitlement / "1111.pem", now - std::chrono::hours(48));
    std::filesystem::last_write_time(entitlement / "2222.pem", now - std::chrono::hours(1));
    std::filesystem::last_write_time(entitlement / "3333.pem", now);
    Config config = load_config(write_auth(dir, "{type: client_cert, cert_dir: entitlement}"));
    const RepositoryConfig& repository = config.repository("base");
    EXPECT_EQ(repository.tls.client_cert_dir, entitlement);
    DownloadOptions options = download_options_for(config, repository);
    EXPECT_EQ(options.tls.client_cert, (entitlement / "2222.pem").string());
    EXPECT_EQ(options.tls.client_key, (entitlement / "2222-key.pem").string());

    // A renewed entitlement is used without a config change.
    write_text(entitlement / "4444.pem", "renewed cert");
    write_text(entitlement / "4444-key.pem", "renewed key");
    options = download_options_for(config, repository);
    EXPECT_EQ(options.tls.client_cert, (entitlement / "4444.pem").string());

    // cert_file with cert_dir keeps its meaning: the file in that directory.
    TempDir other;
    Config explicit_file = load_config(write_auth(other, "{type: client_cert, cert_dir: /etc/pki/entitlement, "
                                                         "cert_file: 7.pem, key_file: 7-key.pem}"));
    EXPECT_EQ(explicit_file.repository("base").tls.client_cert, "/etc/pki/entitlement/7.pem");
    EXPECT_FALSE(explicit_file.repository("base").tls.client_cert_dir);
}

TEST(AuthConfig, CertDirWithoutAPairNamesTheDirectory) {
    TempDir dir;
    write_text(dir / "entitlement/5555.pem", "a certificate without its key");
    Config config = load_config(write_auth(dir, "{type: client_cert, cert_dir: entitlement}"));
    try {
        download_options_for(config, config.repository("base"));
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::not_found);
        EXPECT_NE(std::string(error.what()).find("auth.cert_dir " + (dir / "entitlement").string() +
                                                 " holds no entitlement certificate pair"),
                  std::string::npos)
            << error.what();
    }
    Config missing = load_config(write_auth(dir, "{type: client_cert, cert_dir: nowhere}"));
    try {
        download_options_for(missing, missing.repository("base"));
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("auth.cert_dir " + (dir / "nowhere").string() + " cannot be read"),
                  std::string::npos)
            << error.what();
    }
}
