// The OpenPGP keys a repository trusts (its `verify:` settings), and checks
// of detached signatures against exactly those keys.
//
// The keys are imported into a private temporary GnupgHome (never the
// user's keyring, never a configured gnupg_home, which is only read): from
// key files (armored or binary, one or many keys each), inline armored keys,
// and every public key of a configured gnupg_home. When fingerprints are
// pinned, only signatures by a pinned key count (a key given by a file but
// not pinned is known, so the error can name it, but not trusted).
//
// A signature counts when GPGME reports it good (status GPG_ERR_NO_ERROR)
// by a key of this set: trust levels of the web of trust play no part (the
// set itself is the trust decision). Expired or revoked keys and expired
// signatures do not count, with a reason that says so.
//
// Thread safety: verify() and the exports may be called from any thread;
// they are serialised internally (one GPGME context).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signing/gnupg_home.h"
#include "core/signing/openpgp_context.h"

namespace chantal {

struct OpenPgpKeyInfo {
    std::string fingerprint;  // primary key, 40 (v4) or 64 (v5) uppercase hex digits
    std::string user_id;      // the first user id, "" when none
    bool pinned = true;       // false: known from a file but not among the pinned fingerprints
};

// Where the trusted keys come from.
struct TrustedKeySources {
    std::vector<std::filesystem::path> key_files;
    std::vector<std::string> armored_keys;          // inline armored keys (config `keys:`)
    std::optional<std::filesystem::path> gnupg_home;  // every public key of it; read only
    // Pinned fingerprints (any case, spaces allowed); empty: every key above counts.
    std::vector<std::string> trusted_fingerprints;
};

// The outcome of one detached-signature check.
struct SignatureCheck {
    enum class Outcome {
        valid,        // good signature by a trusted (and, when pinned, pinned) key
        bad,          // the data does not match the signature (tampered)
        unknown_key,  // signed by a key not in the set
        not_pinned,   // signed by a key of the set whose fingerprint is not pinned
        key_unusable, // signed by a key of the set that is expired or revoked, or the signature expired
        unreadable,   // not an OpenPGP signature at all
    };
    Outcome outcome = Outcome::unreadable;
    // The signer's fingerprint (primary key when known, else what the
    // signature names: a subkey fingerprint or a 16-digit key id); "" when unreadable.
    std::string signer;
    std::string reason;  // one line for messages, e.g. "key 0123... expired on 2024-01-01"
    bool ok() const { return outcome == Outcome::valid; }
};

class TrustedKeys {
public:
    // Imports the keys. Throws Error::invalid_input naming a file (or the
    // n-th inline key) that holds no OpenPGP public key, Error::not_found for
    // a missing file, Error::invalid_input when the sources hold no key at
    // all or a pinned fingerprint matches none of them. `work_directory` is
    // the parent of the private GnupgHome (storage temp_path).
    TrustedKeys(const TrustedKeySources& sources, const std::filesystem::path& work_directory);
    ~TrustedKeys();
    TrustedKeys(const TrustedKeys&) = delete;
    TrustedKeys& operator=(const TrustedKeys&) = delete;

    // Every key imported, pinned or not, in import order.
    const std::vector<OpenPgpKeyInfo>& keys() const { return keys_; }
    // "0123...CDEF (Fedora <fedora@...>), ..." of the keys that count, for messages.
    std::string describe_trusted() const;

    // Checks a detached signature (armored or binary) of `data`.
    SignatureCheck verify_detached(std::string_view data, std::string_view signature) const;
    // Checks a clearsigned message (APT's InRelease). `signed_text` receives
    // the text the signature covers (dash-escaping undone), also when the
    // check fails; "" when the message is not readable as one.
    SignatureCheck verify_clearsigned(std::string_view message, std::string& signed_text) const;

    // The keys that count, armored, concatenated: what clients import (gpgkey=).
    std::string armored_public_keys() const;
    // The keys that count, each as binary OpenPGP packets (for librpm's keyring).
    std::vector<std::string> binary_public_keys() const;

private:
    GnupgHome home_;
    mutable std::mutex mutex_;  // guards context_
    std::unique_ptr<OpenPgpContext> context_;
    std::vector<OpenPgpKeyInfo> keys_;
};

}  // namespace chantal
