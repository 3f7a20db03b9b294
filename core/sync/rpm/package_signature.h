// The RPM package signature check of `verify: {gpgcheck: true}`: an .rpm's
// own OpenPGP signature (its signature header), checked with librpm against
// exactly the repository's trusted keys, before the file enters the pool.
//
// librpm does the parsing and the OpenPGP work (rpmReadPackageFile with a
// private keyring holding only the given keys, signature verification
// required): no hand-written header or OpenPGP parsing. The payload is then
// checked against the SHA-2 payload digest the verified header carries,
// hashing the bytes after the headers with OpenSSL (about 0.8 ms per MB
// cached; librpm's libgcrypt digests take about 5); a package without such a
// digest (rpm < 4.14) is read once more as `rpmkeys --checksig` reads it.
// The keyring is built once per sync; the rpm database and the host's
// imported keys play no part, and the verification flags and level are set
// per check, whatever the host's macros say.
//
// librpm's state is per process: the first checker reads its configuration
// (rpmReadConfigFiles) and installs an rpmlog callback, so librpm prints
// nothing in this process; its last warning becomes a check's reason.
//
// Thread safety: check() may be called from several threads at once (each
// call uses its own transaction set over the shared, read-only keyring;
// librpm 4.18 locks its keyring, macro and log state itself).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chantal {

struct PackageSignatureCheck {
    enum class Outcome {
        valid,        // signed by one of the keys, header and payload digests intact
        unsigned_,    // no OpenPGP signature at all
        unknown_key,  // signed, by a key not in the set
        bad,          // signature or digest does not match (tampered or damaged)
        unreadable,   // not an RPM package (or truncated)
    };
    Outcome outcome = Outcome::unreadable;
    std::string signer_key_id;  // the signature's key id, 16 lowercase hex digits, when signed
    std::string reason;         // one line for messages: "signed by key 0123456789abcdef, which is not trusted"
    bool ok() const { return outcome == Outcome::valid; }
};

class RpmSignatureChecker {
public:
    // `public_keys`: each one key as binary OpenPGP packets (TrustedKeys::
    // binary_public_keys()); subkeys are trusted with their primary key.
    // Throws Error::invalid_input when librpm cannot read one of them.
    explicit RpmSignatureChecker(const std::vector<std::string>& public_keys);
    ~RpmSignatureChecker();
    RpmSignatureChecker(const RpmSignatureChecker&) = delete;
    RpmSignatureChecker& operator=(const RpmSignatureChecker&) = delete;

    // Checks one package file. Never throws for a bad package (that is the
    // outcome); throws Error::io when the file cannot be opened.
    PackageSignatureCheck check(const std::filesystem::path& package_file) const;

private:
    struct Keyring;
    std::unique_ptr<Keyring> keyring_;
};

// Whether a file is an intact RPM package, whatever its signatures: librpm
// reads its headers and checks every digest of header and payload (as
// `rpmkeys --checksig --nosignature` does). nullopt when intact, else one
// line: "not an RPM package", "damaged RPM package (...)". Throws Error::io
// when the file cannot be opened. Thread-safe.
std::optional<std::string> rpm_package_damage(const std::filesystem::path& package_file);

}  // namespace chantal
