// RpmSignatureChecker against real packages: throwaway gpg keys, a tiny
// package built with rpmbuild and signed with rpmsign, and damaged copies.
// gpg, rpmbuild and rpmsign are required: missing tools fail the tests.
#include "core/sync/rpm/package_signature.h"

#include <gtest/gtest.h>
#include <rpm/header.h>
#include <rpm/rpmio.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <thread>

#include "core/base/error.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;
using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;
using Outcome = PackageSignatureCheck::Outcome;

constexpr const char* kSpec = R"(Name: sigtest
Version: 1
Release: 1
Summary: A package to sign
License: MIT
BuildArch: noarch
%description
A package to sign.
%install
mkdir -p %{buildroot}/usr/share/sigtest
echo hello > %{buildroot}/usr/share/sigtest/hello
%files
/usr/share/sigtest/hello
)";

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string shell_quoted(const std::string& text) { return "'" + text + "'"; }

// Runs a command; throws with its output when it fails.
std::string run(const std::string& command) {
    std::string output;
    if (run_command(command + " </dev/null", &output) != 0)
        throw std::runtime_error("failed: " + command + "\n" + output);
    return output;
}

// A throwaway gpg home holding one key. Its agent is stopped on destruction.
class GpgKey {
public:
    // `algorithm`: e.g. "rsa2048" or "ed25519"; `subkey_algorithm` non-empty:
    // the primary key only certifies and a subkey of that algorithm signs.
    GpgKey(const fs::path& home, const std::string& user, const std::string& algorithm,
           const std::string& subkey_algorithm = {})
        : home_(home), user_(user) {
        fs::create_directories(home_);
        fs::permissions(home_, fs::perms::owner_all, fs::perm_options::replace);
        const std::string gpg =
            "gpg --batch --homedir " + shell_quoted(home_) + " --pinentry-mode loopback --passphrase ''";
        const std::string usage = subkey_algorithm.empty() ? " sign" : " cert";
        run(gpg + " --quick-gen-key " + shell_quoted(user_) + " " + algorithm + usage + " never");
        if (!subkey_algorithm.empty())
            run(gpg + " --quick-add-key " + fingerprints().front() + " " + subkey_algorithm + " sign never");
        public_key_ = run("gpg --batch --homedir " + shell_quoted(home_) + " --export " + fingerprints().front());
    }
    ~GpgKey() { run_command("gpgconf --homedir " + shell_quoted(home_) + " --kill gpg-agent"); }
    GpgKey(const GpgKey&) = delete;
    GpgKey& operator=(const GpgKey&) = delete;

    const std::string& public_key() const { return public_key_; }
    // The key id (16 lowercase hex digits) of the key that signs.
    std::string signing_key_id() const { return fingerprints().back().substr(24); }

    void sign(const fs::path& package) const {
        const std::string fingerprint = fingerprints().back();
        const std::string name = fingerprints().size() > 1 ? fingerprint + "!" : user_;
        run("rpmsign --addsign --define " + shell_quoted("_gpg_name " + name) + " --define " +
            shell_quoted("_gpg_path " + home_.string()) + " --define '__gpg /usr/bin/gpg' " + shell_quoted(package));
    }

    void export_armored(const fs::path& file) const {
        run("gpg --batch --homedir " + shell_quoted(home_) + " --armor --export --output " + shell_quoted(file) + " " +
            fingerprints().front());
    }

private:
    // Primary key first, then subkeys; lowercase.
    std::vector<std::string> fingerprints() const {
        std::istringstream lines(run("gpg --batch --homedir " + shell_quoted(home_) + " --with-colons --list-keys"));
        std::vector<std::string> found;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("fpr:", 0) != 0) continue;
            std::string fingerprint = line.substr(12, 40);
            for (char& c : fingerprint) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            found.push_back(fingerprint);
        }
        if (found.empty()) throw std::runtime_error("no key in " + home_.string());
        return found;
    }

    fs::path home_;
    std::string user_;
    std::string public_key_;
};

struct Packages {
    TempDir dir;
    std::unique_ptr<GpgKey> rsa;      // signs signed_rsa
    std::unique_ptr<GpgKey> ed25519;  // signs signed_ed25519
    std::unique_ptr<GpgKey> subkey;   // signs signed_by_subkey with its signing subkey
    fs::path unsigned_package, signed_rsa, signed_ed25519, signed_by_subkey;
    fs::path payload_changed, header_changed, truncated_payload, truncated_header, text_file;
    fs::path unknown_hash_algorithm;
};

fs::path build_package(const fs::path& dir) {
    write_text(dir / "sigtest.spec", kSpec);
    run("rpmbuild -bb --quiet --define " + shell_quoted("_topdir " + (dir / "rpmbuild").string()) +
        " --define '_build_id_links none' " + shell_quoted(dir / "sigtest.spec"));
    return dir / "rpmbuild/RPMS/noarch/sigtest-1-1.noarch.rpm";
}

fs::path signed_copy(const fs::path& package, const fs::path& copy, const GpgKey& key) {
    fs::copy_file(package, copy);
    key.sign(copy);
    return copy;
}

std::uint32_t big_endian_at(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<std::uint8_t>(bytes.at(at + i));
    return value;
}

// A signed package whose header-only signature (the signature header's
// RSAHEADER entry, an OpenPGP v4 signature packet) names a hash algorithm
// no one implements (100, from OpenPGP's private range). Nothing else
// changes: the signature header is covered by no digest.
std::string with_unknown_hash_algorithm(std::string bytes) {
    constexpr std::size_t kLead = 96;
    constexpr std::uint32_t kRsaHeaderTag = 268;
    const std::size_t entries = big_endian_at(bytes, kLead + 8);
    const std::size_t store = kLead + 16 + entries * 16;
    for (std::size_t i = 0; i < entries; ++i) {
        const std::size_t entry = kLead + 16 + i * 16;
        if (big_endian_at(bytes, entry) != kRsaHeaderTag) continue;
        const std::size_t packet = store + big_endian_at(bytes, entry + 8);
        const auto first = static_cast<std::uint8_t>(bytes.at(packet));
        std::size_t header_length = 0;
        if (first & 0x40) {  // new format: the length's first octet tells its size
            const auto length = static_cast<std::uint8_t>(bytes.at(packet + 1));
            header_length = length < 192 ? 2 : length < 224 ? 3 : 6;
        } else {  // old format: the length type is in the tag octet
            header_length = 1 + (std::size_t{1} << (first & 3));
        }
        const std::size_t body = packet + header_length;
        if (bytes.at(body) != 4) throw std::runtime_error("not a v4 signature packet");
        bytes.at(body + 3) = static_cast<char>(100);  // version, type, public-key algorithm, hash algorithm
        return bytes;
    }
    throw std::runtime_error("no RSAHEADER signature in the package");
}

// Copies of signed_rsa: a payload byte flipped, a byte of the package name in
// the main header flipped, cut in the payload, cut in the signature header.
void make_damaged_copies(Packages& p) {
    const std::string bytes = read_bytes(p.signed_rsa);
    const std::string magic = "\x8e\xad\xe8\x01";
    const std::size_t main_header = bytes.find(magic, bytes.find(magic) + 1);
    const std::size_t name = bytes.find("sigtest", main_header);
    if (main_header == std::string::npos || name == std::string::npos)
        throw std::runtime_error("unexpected package layout");

    std::string changed = bytes;
    changed[changed.size() - 10] = static_cast<char>(changed[changed.size() - 10] ^ 0x5a);
    write_bytes(p.payload_changed = p.dir / "payload-changed.rpm", changed);
    changed = bytes;
    changed[name] = 'S';
    write_bytes(p.header_changed = p.dir / "header-changed.rpm", changed);
    write_bytes(p.truncated_payload = p.dir / "truncated-payload.rpm", bytes.substr(0, bytes.size() - 20));
    write_bytes(p.truncated_header = p.dir / "truncated-header.rpm", bytes.substr(0, 200));
    write_text(p.text_file = p.dir / "notes.rpm", "not a package\n");
    write_bytes(p.unknown_hash_algorithm = p.dir / "unknown-hash-algorithm.rpm", with_unknown_hash_algorithm(bytes));
}

std::unique_ptr<Packages> make_packages() {
    auto p = std::make_unique<Packages>();
    p->rsa = std::make_unique<GpgKey>(p->dir / "gpg-rsa", "Test RSA <rsa@example.org>", "rsa2048");
    p->ed25519 = std::make_unique<GpgKey>(p->dir / "gpg-ed25519", "Test EdDSA <ed@example.org>", "ed25519");
    p->subkey = std::make_unique<GpgKey>(p->dir / "gpg-sub", "Test Sub <sub@example.org>", "ed25519", "rsa2048");
    const fs::path built = build_package(p->dir.path());
    fs::copy_file(built, p->unsigned_package = p->dir / "unsigned.rpm");
    p->signed_rsa = signed_copy(built, p->dir / "signed-rsa.rpm", *p->rsa);
    p->signed_ed25519 = signed_copy(built, p->dir / "signed-ed25519.rpm", *p->ed25519);
    p->signed_by_subkey = signed_copy(built, p->dir / "signed-subkey.rpm", *p->subkey);
    make_damaged_copies(*p);
    return p;
}

class RpmPackageSignature : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        try {
            packages_ = make_packages();
        } catch (const std::exception& e) {
            setup_error_ = e.what();
        }
    }
    static void TearDownTestSuite() { packages_.reset(); }
    void SetUp() override { ASSERT_TRUE(packages_) << setup_error_; }

    static const Packages& p() { return *packages_; }
    static PackageSignatureCheck check(const std::vector<std::string>& keys, const fs::path& package) {
        return RpmSignatureChecker(keys).check(package);
    }

    static std::unique_ptr<Packages> packages_;
    static std::string setup_error_;
};
std::unique_ptr<Packages> RpmPackageSignature::packages_;
std::string RpmPackageSignature::setup_error_;

TEST_F(RpmPackageSignature, SignedByATrustedKeyIsValid) {
    PackageSignatureCheck result = check({p().rsa->public_key()}, p().signed_rsa);
    EXPECT_EQ(result.outcome, Outcome::valid) << result.reason;
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.signer_key_id, p().rsa->signing_key_id());

    result = check({p().ed25519->public_key()}, p().signed_ed25519);
    EXPECT_EQ(result.outcome, Outcome::valid) << result.reason;
    EXPECT_EQ(result.signer_key_id, p().ed25519->signing_key_id());
}

TEST_F(RpmPackageSignature, AnyKeyOfTheSetWillDo) {
    RpmSignatureChecker checker({p().ed25519->public_key(), p().rsa->public_key()});
    EXPECT_EQ(checker.check(p().signed_rsa).outcome, Outcome::valid);
    EXPECT_EQ(checker.check(p().signed_ed25519).outcome, Outcome::valid);
    // Several certificates in one string, as `gpg --export A B` writes them.
    RpmSignatureChecker together({p().ed25519->public_key() + p().rsa->public_key()});
    EXPECT_EQ(together.check(p().signed_rsa).outcome, Outcome::valid);
    EXPECT_EQ(together.check(p().signed_ed25519).outcome, Outcome::valid);
}

TEST_F(RpmPackageSignature, SigningSubkeyIsTrustedWithItsPrimaryKey) {
    PackageSignatureCheck result = check({p().subkey->public_key()}, p().signed_by_subkey);
    EXPECT_EQ(result.outcome, Outcome::valid) << result.reason;
    EXPECT_EQ(result.signer_key_id, p().subkey->signing_key_id());
}

TEST_F(RpmPackageSignature, UnsignedPackageIsUnsigned) {
    PackageSignatureCheck result = check({p().rsa->public_key()}, p().unsigned_package);
    EXPECT_EQ(result.outcome, Outcome::unsigned_) << result.reason;
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.signer_key_id, "");
}

TEST_F(RpmPackageSignature, SignedByAnotherKeyIsUnknownKey) {
    PackageSignatureCheck result = check({p().ed25519->public_key()}, p().signed_rsa);
    EXPECT_EQ(result.outcome, Outcome::unknown_key) << result.reason;
    EXPECT_EQ(result.signer_key_id, p().rsa->signing_key_id());
    EXPECT_EQ(result.reason, "signed by key " + p().rsa->signing_key_id() + ", which is not trusted");

    EXPECT_EQ(check({}, p().signed_rsa).outcome, Outcome::unknown_key);
    // The subkey's primary key is not the signing key.
    EXPECT_EQ(check({p().rsa->public_key()}, p().signed_by_subkey).outcome, Outcome::unknown_key);
}

TEST_F(RpmPackageSignature, ChangedBytesAreBad) {
    for (const fs::path& package : {p().payload_changed, p().header_changed, p().truncated_payload}) {
        SCOPED_TRACE(package.filename().string());
        PackageSignatureCheck result = check({p().rsa->public_key()}, package);
        EXPECT_EQ(result.outcome, Outcome::bad) << result.reason;
        EXPECT_EQ(result.signer_key_id, p().rsa->signing_key_id());
        EXPECT_NE(result.reason.find("does not match"), std::string::npos) << result.reason;
    }
    // rpm 4.14+ packages carry a signed SHA-256 payload digest: the payload
    // is checked against it in one pass (OpenSSL), not by librpm's three.
    for (const fs::path& package : {p().payload_changed, p().truncated_payload})
        EXPECT_NE(check({p().rsa->public_key()}, package).reason.find("its signed digest"), std::string::npos);
}

// librpm treats a signature whose hash algorithm it cannot compute as
// absent and still returns OK from rpmReadPackageFile: such a package must
// not pass as signed, whatever keys are trusted (a fuzzer found this).
TEST_F(RpmPackageSignature, ASignatureLibrpmCannotCheckIsBad) {
    for (const auto& keys : {std::vector<std::string>{p().rsa->public_key()}, std::vector<std::string>{}}) {
        PackageSignatureCheck result = check(keys, p().unknown_hash_algorithm);
        EXPECT_EQ(result.outcome, Outcome::bad) << result.reason;
        EXPECT_FALSE(result.ok());
        EXPECT_EQ(result.signer_key_id, p().rsa->signing_key_id());
        EXPECT_NE(result.reason.find("librpm cannot check that signature"), std::string::npos) << result.reason;
    }
}

TEST_F(RpmPackageSignature, WhatIsNoPackageIsUnreadable) {
    for (const fs::path& package : {p().truncated_header, p().text_file}) {
        SCOPED_TRACE(package.filename().string());
        PackageSignatureCheck result = check({p().rsa->public_key()}, package);
        EXPECT_EQ(result.outcome, Outcome::unreadable) << result.reason;
        EXPECT_EQ(result.signer_key_id, "");
    }
    EXPECT_EQ(check({}, p().text_file).reason, "not an RPM package");
}

TEST_F(RpmPackageSignature, MissingFileThrows) {
    RpmSignatureChecker checker({p().rsa->public_key()});
    try {
        checker.check(p().dir / "missing.rpm");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
        EXPECT_EQ(e.system_errno(), ENOENT);
    }
}

TEST_F(RpmPackageSignature, UnreadableKeyIsInvalidInput) {
    for (const std::string& key : {std::string(), std::string("not a key"), p().rsa->public_key().substr(0, 40)}) {
        try {
            RpmSignatureChecker checker({p().rsa->public_key(), key});
            ADD_FAILURE() << "no exception for a key of " << key.size() << " bytes";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
            EXPECT_NE(std::string(e.what()).find("public key 2"), std::string::npos) << e.what();
        }
    }
}

// The rpm database's keys (here: the signing key imported into the database
// that %_dbpath names) and macros that turn verification off play no part.
TEST_F(RpmPackageSignature, HostKeysAndMacrosPlayNoPart) {
    RpmSignatureChecker checker({p().ed25519->public_key()});  // librpm's configuration is read
    const fs::path db = p().dir / "rpmdb";
    fs::create_directories(db);
    p().rsa->export_armored(p().dir / "rsa.asc");
    run("rpmkeys --dbpath " + shell_quoted(db) + " --import " + shell_quoted(p().dir / "rsa.asc"));
    const std::vector<std::pair<const char*, std::string>> macros = {
        {"_dbpath", db.string()}, {"_pkgverify_flags", "0xffffffff"}, {"_pkgverify_level", "none"}};
    for (const auto& [name, value] : macros) rpmPushMacro(nullptr, name, nullptr, value.c_str(), RMIL_CMDLINE);

    // What a transaction set with librpm's own keyring makes of the package.
    rpmts ts = rpmtsCreate();
    rpmtsSetVSFlags(ts, RPMVSF_DEFAULT);
    FD_t fd = Fopen(p().signed_rsa.c_str(), "r.ufdio");
    Header header = nullptr;
    const rpmRC host_verdict = rpmReadPackageFile(ts, fd, "signed-rsa.rpm", &header);
    headerFree(header);
    Fclose(fd);
    rpmtsFree(ts);

    const PackageSignatureCheck foreign = checker.check(p().signed_rsa);
    const PackageSignatureCheck unsigned_package = checker.check(p().unsigned_package);
    const PackageSignatureCheck damaged = RpmSignatureChecker({p().rsa->public_key()}).check(p().payload_changed);
    for (const auto& [name, value] : macros) rpmPopMacro(nullptr, name);

    EXPECT_EQ(host_verdict, RPMRC_OK) << "the imported key should make librpm's own keyring trust the package";
    EXPECT_EQ(foreign.outcome, Outcome::unknown_key) << foreign.reason;
    EXPECT_EQ(unsigned_package.outcome, Outcome::unsigned_) << unsigned_package.reason;
    EXPECT_EQ(damaged.outcome, Outcome::bad) << damaged.reason;
}

TEST_F(RpmPackageSignature, ThreadsCheckAtOnce) {
    const RpmSignatureChecker checker({p().rsa->public_key(), p().subkey->public_key()});
    const std::vector<std::pair<fs::path, Outcome>> cases = {
        {p().signed_rsa, Outcome::valid},         {p().signed_by_subkey, Outcome::valid},
        {p().signed_ed25519, Outcome::unknown_key}, {p().unsigned_package, Outcome::unsigned_},
        {p().payload_changed, Outcome::bad},      {p().header_changed, Outcome::bad},
        {p().text_file, Outcome::unreadable}};
    auto work = [&](std::size_t first, int* mismatches) {
        for (int round = 0; round < 20; ++round) {
            for (std::size_t i = 0; i < cases.size(); ++i) {
                const auto& [package, expected] = cases[(first + i) % cases.size()];
                if (checker.check(package).outcome != expected) ++*mismatches;
            }
        }
    };
    int mismatches[2] = {0, 0};
    std::thread one(work, 0, &mismatches[0]);
    std::thread two(work, 3, &mismatches[1]);
    one.join();
    two.join();
    EXPECT_EQ(mismatches[0], 0);
    EXPECT_EQ(mismatches[1], 0);
}

}  // namespace
}  // namespace chantal
