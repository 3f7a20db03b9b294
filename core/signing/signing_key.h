// The key that signs generated trees (a `gpg:` section): detached armored
// signatures and its public key for clients.
//
// Where the secret key comes from (SigningKeySource):
//  - key_file: an armored or binary secret key file, imported into a private
//    temporary GnupgHome (the file is only read);
//  - key_id (+ gnupg_home): a key already in that GnuPG home (default: the
//    storage-local home <base_path>/gnupg), used in place;
//  - generate: when the home holds no secret key matching key_id (when given)
//    or exactly the user id "key_name <key_email>", one is created there with
//    that user id (ed25519, signing only, no expiry, no passphrase unless one
//    is configured) and `generated()` says so, so the caller can print its
//    fingerprint once. A lock file in the home keeps two processes from
//    generating two keys.
// A key_id or key file that matches more than one secret key is an error
// (give a fingerprint), never a guess.
// A passphrase (passphrase or passphrase_file, trailing newline dropped) is
// passed to gpg through loopback pinentry, never on a command line.
//
// Opening checks the key can sign (a test signature), so a wrong passphrase
// or an unusable key is one clear error at open time, not at first use:
// Error::invalid_input "gpg key <fingerprint or id>: <why>". Messages never
// contain the passphrase.
//
// Thread safety: sign_detached() and sign_clear() may be called from any thread; calls are
// serialised internally (one GPGME context).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/signing/gnupg_home.h"
#include "core/signing/openpgp_context.h"

namespace chantal {

struct SigningKeySource {
    std::optional<std::filesystem::path> key_file;
    std::string key_id;                                // fingerprint, key id or user id (with key_id/generate)
    std::optional<std::filesystem::path> gnupg_home;   // with key_id or generate
    std::optional<std::string> passphrase;             // secret
    std::optional<std::filesystem::path> passphrase_file;
    std::optional<std::filesystem::path> public_key_file;  // served instead of an export, when given
    bool generate = false;
    std::string key_name = "Chantal repository signing key";  // user id name of a generated key
    std::string key_email;                                     // user id email of a generated key ("" none)
};

class SigningKey {
public:
    // `work_directory`: parent of a temporary GnupgHome (storage temp_path).
    // `default_gnupg_home`: the storage-local home used when the source names
    // none (created 0700 when missing).
    SigningKey(const SigningKeySource& source, const std::filesystem::path& work_directory,
               const std::filesystem::path& default_gnupg_home);
    ~SigningKey();
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;

    // The signing key's primary fingerprint, uppercase hex.
    const std::string& fingerprint() const { return fingerprint_; }
    // True when this open created the key (generate).
    bool generated() const { return generated_; }
    // The public key clients import: public_key_file's bytes when given,
    // else an armored export of the key (the same bytes on every call).
    const std::string& armored_public_key() const { return public_key_; }

    // An armored detached signature of `data` (OpenPGP, SHA-256 or better).
    std::string sign_detached(std::string_view data) const;
    // `text` clearsigned (APT's InRelease): the text, dash-escaped, with an
    // armored signature after it.
    std::string sign_clear(std::string_view text) const;

private:
    GnupgHome home_;
    mutable std::mutex mutex_;  // guards context_
    std::unique_ptr<OpenPgpContext> context_;
    std::string fingerprint_;
    std::string public_key_;
    bool generated_ = false;
};

}  // namespace chantal
