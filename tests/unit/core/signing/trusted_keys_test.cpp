#include "core/signing/trusted_keys.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "gpg_test_home.h"
#include "support/temp_dir.h"

using chantal::Error;
using chantal::ErrorKind;
using chantal::SignatureCheck;
using chantal::TrustedKeySources;
using KeySet = chantal::TrustedKeys;
using chantal::test_support::GpgTestHome;
using chantal::test_support::write_text;
using Outcome = SignatureCheck::Outcome;

namespace {

class TrustedKeys : public ::testing::Test {
protected:
    TrustedKeys() : signer_home(dir / "signer") {
        alice = signer_home.generate("Alice <alice@example.org>");
        write_text(dir / "alice.asc", signer_home.export_public(alice, true));
    }

    TrustedKeySources alice_file() const {
        TrustedKeySources sources;
        sources.key_files = {dir / "alice.asc"};
        return sources;
    }
    std::filesystem::path work() const { return dir / "work"; }

    chantal::test_support::TempDir dir;
    GpgTestHome signer_home;
    std::string alice;
    const std::string data = "Origin: example\nSuite: stable\n";
};

std::string lowercase_with_spaces(const std::string& fingerprint) {
    std::string text;
    for (std::size_t index = 0; index < fingerprint.size(); ++index) {
        if (index && index % 4 == 0) text += ' ';
        text += static_cast<char>(std::tolower(static_cast<unsigned char>(fingerprint[index])));
    }
    return text;
}

}  // namespace

TEST_F(TrustedKeys, GoodSignatureByTrustedKeyIsValid) {
    KeySet keys(alice_file(), work());
    const SignatureCheck check = keys.verify_detached(data, signer_home.sign(data, alice));
    EXPECT_EQ(check.outcome, Outcome::valid) << check.reason;
    EXPECT_TRUE(check.ok());
    EXPECT_EQ(check.signer, alice);
    ASSERT_EQ(keys.keys().size(), 1u);
    EXPECT_EQ(keys.keys()[0].fingerprint, alice);
    EXPECT_EQ(keys.keys()[0].user_id, "Alice <alice@example.org>");
    EXPECT_EQ(keys.describe_trusted(), alice + " (Alice <alice@example.org>)");
}

TEST_F(TrustedKeys, BinarySignatureIsValid) {
    KeySet keys(alice_file(), work());
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, alice, false)).outcome, Outcome::valid);
}

TEST_F(TrustedKeys, TamperedDataIsBad) {
    KeySet keys(alice_file(), work());
    const SignatureCheck check = keys.verify_detached(data + "Extra: 1\n", signer_home.sign(data, alice));
    EXPECT_EQ(check.outcome, Outcome::bad);
    EXPECT_EQ(check.signer, alice);
    EXPECT_NE(check.reason.find(alice), std::string::npos) << check.reason;
}

TEST_F(TrustedKeys, SignatureByAnotherKeyIsUnknownKey) {
    const std::string mallory = signer_home.generate("Mallory <mallory@example.org>");
    KeySet keys(alice_file(), work());
    const SignatureCheck check = keys.verify_detached(data, signer_home.sign(data, mallory));
    EXPECT_EQ(check.outcome, Outcome::unknown_key);
    EXPECT_FALSE(check.signer.empty());
    EXPECT_TRUE(mallory.ends_with(check.signer)) << check.signer;
    EXPECT_NE(check.reason.find(check.signer), std::string::npos) << check.reason;
}

TEST_F(TrustedKeys, KnownButUnpinnedKeyIsNotPinned) {
    const std::string bob = signer_home.generate("Bob <bob@example.org>");
    write_text(dir / "both.asc", signer_home.export_public(alice + " " + bob, true));
    TrustedKeySources sources;
    sources.key_files = {dir / "both.asc"};
    sources.trusted_fingerprints = {lowercase_with_spaces(alice)};
    KeySet keys(sources, work());
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, alice)).outcome, Outcome::valid);
    const SignatureCheck check = keys.verify_detached(data, signer_home.sign(data, bob));
    EXPECT_EQ(check.outcome, Outcome::not_pinned);
    EXPECT_EQ(check.signer, bob);
    ASSERT_EQ(keys.keys().size(), 2u);
    EXPECT_TRUE(keys.keys()[0].pinned);
    EXPECT_FALSE(keys.keys()[1].pinned);
    EXPECT_EQ(keys.describe_trusted().find(bob), std::string::npos);
    EXPECT_EQ(keys.binary_public_keys().size(), 1u);
}

TEST_F(TrustedKeys, PinnedFingerprintMatchingNoKeyIsAnError) {
    TrustedKeySources sources = alice_file();
    sources.trusted_fingerprints = {std::string(40, 'A')};
    try {
        KeySet keys(sources, work());
        FAIL() << "a pin matching no key was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(error.what()).find(std::string(40, 'A')), std::string::npos) << error.what();
    }
}

TEST_F(TrustedKeys, ExpiredKeyIsUnusable) {
    const std::string then = "--faked-system-time 20200101T000000!";
    const std::string old = signer_home.generate("Old <old@example.org>", "", "1d", then);
    write_text(dir / "old.asc", signer_home.export_public(old, true));
    TrustedKeySources sources;
    sources.key_files = {dir / "old.asc"};
    KeySet keys(sources, work());
    const SignatureCheck check = keys.verify_detached(data, signer_home.sign(data, old, true, then));
    EXPECT_EQ(check.outcome, Outcome::key_unusable) << check.reason;
    EXPECT_EQ(check.signer, old);
    EXPECT_NE(check.reason.find("expired on 2020-01-02"), std::string::npos) << check.reason;
}

TEST_F(TrustedKeys, GarbageSignatureIsUnreadable) {
    KeySet keys(alice_file(), work());
    const std::string empty_armor = "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n";
    for (const std::string& garbage : {std::string(), std::string("not a signature"), empty_armor}) {
        const SignatureCheck check = keys.verify_detached(data, garbage);
        EXPECT_EQ(check.outcome, Outcome::unreadable) << garbage;
        EXPECT_TRUE(check.signer.empty());
        EXPECT_FALSE(check.reason.empty());
    }
    // A public key is OpenPGP, but no signature.
    EXPECT_EQ(keys.verify_detached(data, signer_home.export_public(alice, true)).outcome, Outcome::unreadable);
}

TEST_F(TrustedKeys, ReadsBinaryAndArmoredKeyFiles) {
    const std::string bob = signer_home.generate("Bob <bob@example.org>");
    write_text(dir / "bob.gpg", signer_home.export_public(bob, false));
    TrustedKeySources sources = alice_file();
    sources.key_files.push_back(dir / "bob.gpg");
    KeySet keys(sources, work());
    ASSERT_EQ(keys.keys().size(), 2u);
    EXPECT_EQ(keys.keys()[0].fingerprint, alice);
    EXPECT_EQ(keys.keys()[1].fingerprint, bob);
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, bob)).outcome, Outcome::valid);
}

TEST_F(TrustedKeys, KeyFileWithTwoKeys) {
    const std::string bob = signer_home.generate("Bob <bob@example.org>");
    write_text(dir / "both.gpg", signer_home.export_public(alice + " " + bob, false));
    TrustedKeySources sources;
    sources.key_files = {dir / "both.gpg"};
    KeySet keys(sources, work());
    EXPECT_EQ(keys.keys().size(), 2u);
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, alice)).outcome, Outcome::valid);
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, bob)).outcome, Outcome::valid);
}

TEST_F(TrustedKeys, InlineArmoredKeys) {
    TrustedKeySources sources;
    sources.armored_keys = {signer_home.export_public(alice, true)};
    KeySet keys(sources, work());
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, alice)).outcome, Outcome::valid);

    sources.armored_keys.push_back("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----\n");
    try {
        KeySet broken(sources, work());
        FAIL() << "an empty inline key was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(error.what()).find("inline key 2"), std::string::npos) << error.what();
    }
}

TEST_F(TrustedKeys, EveryPublicKeyOfAGnupgHome) {
    const std::string bob = signer_home.generate("Bob <bob@example.org>");
    TrustedKeySources sources;
    sources.gnupg_home = signer_home.path();
    const std::string listing_before = signer_home.gpg("--with-colons --list-keys");
    KeySet keys(sources, work());
    EXPECT_EQ(keys.keys().size(), 2u);
    EXPECT_EQ(keys.verify_detached(data, signer_home.sign(data, bob)).outcome, Outcome::valid);
    EXPECT_EQ(signer_home.gpg("--with-colons --list-keys"), listing_before);
}

TEST_F(TrustedKeys, FileWithoutKeyIsNamed) {
    write_text(dir / "readme.txt", "no key here\n");
    TrustedKeySources sources = alice_file();
    sources.key_files.push_back(dir / "readme.txt");
    try {
        KeySet keys(sources, work());
        FAIL() << "a file without a key was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(error.what()).find((dir / "readme.txt").string()), std::string::npos) << error.what();
    }
}

TEST_F(TrustedKeys, MissingFileIsNotFound) {
    TrustedKeySources sources;
    sources.key_files = {dir / "missing.asc"};
    try {
        KeySet keys(sources, work());
        FAIL() << "a missing file was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::not_found);
        EXPECT_NE(std::string(error.what()).find("missing.asc"), std::string::npos) << error.what();
    }
}

TEST_F(TrustedKeys, NoSourcesIsAnError) {
    try {
        KeySet keys(TrustedKeySources{}, work());
        FAIL() << "no keys at all was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
    }
}

TEST_F(TrustedKeys, ExportsTheKeysThatCount) {
    const std::string bob = signer_home.generate("Bob <bob@example.org>");
    write_text(dir / "both.asc", signer_home.export_public(alice + " " + bob, true));
    TrustedKeySources sources;
    sources.key_files = {dir / "both.asc"};
    KeySet keys(sources, work());

    const std::string armored = keys.armored_public_keys();
    EXPECT_EQ(armored.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----", 0), 0u) << armored;
    const std::vector<std::string> binary = keys.binary_public_keys();
    ASSERT_EQ(binary.size(), 2u);

    GpgTestHome client(dir / "client");
    write_text(dir / "exported.asc", armored);
    client.gpg("--import " + (dir / "exported.asc").string());
    EXPECT_EQ(client.fingerprint_of(alice), alice);
    EXPECT_EQ(client.fingerprint_of(bob), bob);
    GpgTestHome binary_client(dir / "binary-client");
    write_text(dir / "bob.gpg", binary[1]);
    EXPECT_NE(binary[1].front(), '-');
    binary_client.gpg("--import " + (dir / "bob.gpg").string());
    EXPECT_EQ(binary_client.fingerprint_of(bob), bob);
    EXPECT_THROW(binary_client.fingerprint_of(alice), std::runtime_error);
}

TEST_F(TrustedKeys, PrivateHomeIsRemoved) {
    { KeySet keys(alice_file(), work()); }
    EXPECT_TRUE(std::filesystem::is_empty(work()));
}
