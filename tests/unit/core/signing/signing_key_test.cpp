#include "core/signing/signing_key.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/signing/trusted_keys.h"
#include "gpg_test_home.h"
#include "support/temp_dir.h"

using chantal::Error;
using chantal::ErrorKind;
using chantal::SignatureCheck;
using chantal::SigningKeySource;
using Key = chantal::SigningKey;
using chantal::test_support::GpgTestHome;
using chantal::test_support::write_text;

namespace {

class SigningKey : public ::testing::Test {
protected:
    SigningKey() : maker(dir / "maker") {}

    std::filesystem::path work() const { return dir / "work"; }
    std::filesystem::path default_home() const { return dir / "gnupg"; }

    // A secret key file made by `maker`; its fingerprint.
    std::string make_key_file(const std::string& file, const std::string& user_id, const std::string& passphrase,
                              bool armored = true) {
        const std::string fingerprint = maker.generate(user_id, passphrase);
        write_text(dir / file, maker.export_secret(fingerprint, armored, passphrase));
        return fingerprint;
    }

    // The check a client makes: the signature of `data` by `key` against its public key.
    SignatureCheck client_check(const Key& key, const std::string& data) {
        chantal::TrustedKeySources sources;
        sources.armored_keys = {key.armored_public_key()};
        chantal::TrustedKeys trusted(sources, dir / "client-work");
        return trusted.verify_detached(data, key.sign_detached(data));
    }

    chantal::test_support::TempDir dir;
    GpgTestHome maker;
};

std::string error_of(const SigningKeySource& source, const std::filesystem::path& work,
                     const std::filesystem::path& home, ErrorKind* kind = nullptr) {
    try {
        Key key(source, work, home);
    } catch (const Error& error) {
        if (kind) *kind = error.kind();
        return error.what();
    }
    return "";
}

}  // namespace

TEST_F(SigningKey, KeyFileWithoutPassphrase) {
    const std::string fingerprint = make_key_file("signing.asc", "Signer <signer@example.org>", "");
    SigningKeySource source;
    source.key_file = dir / "signing.asc";
    Key key(source, work(), default_home());
    EXPECT_EQ(key.fingerprint(), fingerprint);
    EXPECT_FALSE(key.generated());
    const SignatureCheck check = client_check(key, "repomd contents\n");
    EXPECT_EQ(check.outcome, SignatureCheck::Outcome::valid) << check.reason;
    EXPECT_EQ(check.signer, fingerprint);
    EXPECT_FALSE(std::filesystem::exists(default_home()));
}

TEST_F(SigningKey, BinaryKeyFileWithPassphrase) {
    const std::string fingerprint = make_key_file("signing.gpg", "Signer <signer@example.org>", "s3cret words", false);
    SigningKeySource source;
    source.key_file = dir / "signing.gpg";
    source.passphrase = "s3cret words";
    Key key(source, work(), default_home());
    EXPECT_EQ(key.fingerprint(), fingerprint);
    EXPECT_TRUE(client_check(key, "data").ok());
}

TEST_F(SigningKey, PassphraseFileDropsTheTrailingNewline) {
    make_key_file("signing.asc", "Signer <signer@example.org>", "from a file");
    write_text(dir / "passphrase", "from a file\n");
    SigningKeySource source;
    source.key_file = dir / "signing.asc";
    source.passphrase_file = dir / "passphrase";
    Key key(source, work(), default_home());
    EXPECT_TRUE(client_check(key, "data").ok());
}

TEST_F(SigningKey, WrongPassphraseIsOneClearError) {
    const std::string fingerprint = make_key_file("signing.asc", "Signer <signer@example.org>", "right-horse-77");
    SigningKeySource source;
    source.key_file = dir / "signing.asc";
    source.passphrase = "wrong-battery-42";
    ErrorKind kind{};
    const std::string message = error_of(source, work(), default_home(), &kind);
    EXPECT_EQ(kind, ErrorKind::invalid_input);
    EXPECT_NE(message.find(fingerprint), std::string::npos) << message;
    EXPECT_EQ(message.find("wrong-battery-42"), std::string::npos) << message;
    EXPECT_EQ(message.find("right-horse-77"), std::string::npos) << message;

    source.passphrase.reset();
    EXPECT_NE(error_of(source, work(), default_home(), &kind).find(fingerprint), std::string::npos);
    EXPECT_EQ(kind, ErrorKind::invalid_input);
}

TEST_F(SigningKey, MissingKeyFileIsNotFound) {
    SigningKeySource source;
    source.key_file = dir / "missing.asc";
    ErrorKind kind{};
    EXPECT_NE(error_of(source, work(), default_home(), &kind).find("missing.asc"), std::string::npos);
    EXPECT_EQ(kind, ErrorKind::not_found);
}

TEST_F(SigningKey, PublicKeyFileIsNotASecretKey) {
    const std::string fingerprint = maker.generate("Signer <signer@example.org>");
    write_text(dir / "public.asc", maker.export_public(fingerprint, true));
    SigningKeySource source;
    source.key_file = dir / "public.asc";
    ErrorKind kind{};
    EXPECT_NE(error_of(source, work(), default_home(), &kind).find("public.asc"), std::string::npos);
    EXPECT_EQ(kind, ErrorKind::invalid_input);
}

TEST_F(SigningKey, KeyIdInAGnupgHome) {
    maker.generate("Other <other@example.org>");
    const std::string fingerprint = maker.generate("Signer <signer@example.org>");
    SigningKeySource source;
    source.gnupg_home = maker.path();
    for (const std::string& id : {fingerprint, fingerprint.substr(24), std::string("signer@example.org")}) {
        source.key_id = id;
        Key key(source, work(), default_home());
        EXPECT_EQ(key.fingerprint(), fingerprint) << id;
        EXPECT_TRUE(client_check(key, "data").ok()) << id;
    }
    EXPECT_TRUE(std::filesystem::exists(maker.path()));

    source.key_id = "nobody@example.org";
    ErrorKind kind{};
    EXPECT_NE(error_of(source, work(), default_home(), &kind).find("nobody@example.org"), std::string::npos);
    EXPECT_EQ(kind, ErrorKind::not_found);
    source.key_id = "example.org";
    EXPECT_NE(error_of(source, work(), default_home(), &kind).find("2 secret keys"), std::string::npos);
}

TEST_F(SigningKey, GenerateCreatesTheKeyOnce) {
    SigningKeySource source;
    source.generate = true;
    source.key_email = "repo@example.org";
    std::string fingerprint;
    {
        Key key(source, work(), default_home());
        EXPECT_TRUE(key.generated());
        fingerprint = key.fingerprint();
        EXPECT_EQ(fingerprint.size(), 40u);
        EXPECT_TRUE(client_check(key, "data").ok());
    }
    struct stat status{};
    ASSERT_EQ(::stat(default_home().c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0700u);
    {
        Key again(source, work(), default_home());
        EXPECT_FALSE(again.generated());
        EXPECT_EQ(again.fingerprint(), fingerprint);
    }
    GpgTestHome home(default_home());
    EXPECT_NE(home.gpg("--list-secret-keys").find("Chantal repository signing key <repo@example.org>"),
              std::string::npos);
}

TEST_F(SigningKey, GenerateWithPassphraseInAConfiguredHome) {
    SigningKeySource source;
    source.generate = true;
    source.gnupg_home = dir / "configured";
    source.key_name = "Mirror";
    source.passphrase = "generated secret";
    std::string fingerprint;
    {
        Key key(source, work(), default_home());
        EXPECT_TRUE(key.generated());
        fingerprint = key.fingerprint();
    }
    // The agent caches a passphrase it was given; a fresh one must ask.
    chantal::test_support::run_command("gpgconf --homedir " + (dir / "configured").string() + " --kill gpg-agent");
    SigningKeySource wrong = source;
    wrong.passphrase = "not it";
    ErrorKind kind{};
    const std::string message = error_of(wrong, work(), default_home(), &kind);
    EXPECT_NE(message.find(fingerprint), std::string::npos) << message;
    EXPECT_FALSE(std::filesystem::exists(default_home()));
}

TEST_F(SigningKey, SignatureVerifiesWithGpgv) {
    make_key_file("signing.asc", "Signer <signer@example.org>", "");
    SigningKeySource source;
    source.key_file = dir / "signing.asc";
    Key key(source, work(), default_home());
    const std::string data = "Release file\n";
    const std::string signature = key.sign_detached(data);
    EXPECT_EQ(signature.rfind("-----BEGIN PGP SIGNATURE-----", 0), 0u) << signature;
    write_text(dir / "Release", data);
    write_text(dir / "Release.gpg", signature);
    write_text(dir / "key.asc", key.armored_public_key());
    std::string output;
    ASSERT_EQ(chantal::test_support::run_command("gpg --dearmor < " + (dir / "key.asc").string() + " > " +
                                        (dir / "keyring.gpg").string()),
              0);
    EXPECT_EQ(chantal::test_support::run_command("gpgv --keyring " + (dir / "keyring.gpg").string() + " " +
                                             (dir / "Release.gpg").string() + " " + (dir / "Release").string(),
                                         &output),
              0)
        << output;
    write_text(dir / "Release", data + "tampered\n");
    EXPECT_NE(chantal::test_support::run_command("gpgv --keyring " + (dir / "keyring.gpg").string() + " " +
                                        (dir / "Release.gpg").string() + " " + (dir / "Release").string()),
              0);
}

TEST_F(SigningKey, ArmoredPublicKeyIsStable) {
    const std::string fingerprint = maker.generate("Signer <signer@example.org>");
    SigningKeySource source;
    source.gnupg_home = maker.path();
    source.key_id = fingerprint;
    Key first(source, work(), default_home());
    Key second(source, work(), default_home());
    EXPECT_EQ(first.armored_public_key(), first.armored_public_key());
    EXPECT_EQ(first.armored_public_key(), second.armored_public_key());
    EXPECT_EQ(first.armored_public_key().rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----", 0), 0u);
}

TEST_F(SigningKey, PublicKeyFileIsServedAsGiven) {
    const std::string fingerprint = maker.generate("Signer <signer@example.org>");
    write_text(dir / "served.asc", "the key as published\n");
    SigningKeySource source;
    source.gnupg_home = maker.path();
    source.key_id = fingerprint;
    source.public_key_file = dir / "served.asc";
    Key key(source, work(), default_home());
    EXPECT_EQ(key.armored_public_key(), "the key as published\n");
}

TEST_F(SigningKey, TemporaryHomeAndItsAgentGoAway) {
    make_key_file("signing.asc", "Signer <signer@example.org>", "pass");
    SigningKeySource source;
    source.key_file = dir / "signing.asc";
    source.passphrase = "pass";
    {
        Key key(source, work(), default_home());
        ASSERT_EQ(std::distance(std::filesystem::directory_iterator(work()), {}), 1);
        EXPECT_TRUE(chantal::test_support::agent_running_for(std::filesystem::directory_iterator(work())->path()))
            << "no agent was started for the temporary home";
    }
    EXPECT_TRUE(std::filesystem::is_empty(work()));
    EXPECT_TRUE(chantal::test_support::no_agent_below(work()));
}
