// The one owner of a GPGME context (gpgme_ctx_t), bound to one GnupgHome.
//
// The context speaks OpenPGP through the gpg engine with its home set to the
// given directory (never $GNUPGHOME or ~/.gnupg), ASCII armor on, offline
// (no key server or WKD lookups), and pinentry in loopback mode: a
// passphrase, when one is set, is given by set_passphrase() and never asked
// for on a terminal.
//
// Errors from GPGME become chantal::Error with GPGME's own words
// (gpgme_strerror) after the caller's context, e.g.
// "cannot import /etc/keys/a.asc: Invalid crypto engine".
//
// Thread safety: one context per thread at a time (GPGME's rule); the
// GnupgHome must outlive the context. gpgme_check_version() is called once
// per process (thread-safe, by the first OpenPgpContext or OpenPgpData).
#pragma once

#include <gpgme.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/base/error.h"

namespace chantal {

// The owner of one reference to a gpgme_key_t.
struct OpenPgpKeyRelease {
    void operator()(gpgme_key_t key) const { gpgme_key_unref(key); }
};
using OpenPgpKey = std::unique_ptr<std::remove_pointer_t<gpgme_key_t>, OpenPgpKeyRelease>;

// What one import added to the home.
struct OpenPgpImport {
    int considered = 0;                     // keys found in the input
    int secret_keys = 0;                    // secret keys among them (new or already known)
    std::vector<std::string> fingerprints;  // primary fingerprints, uppercase, input order, no repeats
};

class OpenPgpContext {
public:
    // Throws Error::unsupported when GPGME or its gpg engine is not usable.
    explicit OpenPgpContext(const std::filesystem::path& gnupg_home);
    ~OpenPgpContext();
    OpenPgpContext(const OpenPgpContext&) = delete;
    OpenPgpContext& operator=(const OpenPgpContext&) = delete;

    gpgme_ctx_t get() const { return context_; }

    // The passphrase given to gpg (loopback) when a secret key needs one.
    // Kept in memory only for the context's lifetime; never printed.
    void set_passphrase(std::string passphrase);

    // Imports keys (armored or binary). Throws "<what>: <GPGME's words>"
    // when gpg fails; an input with no key is not an error here
    // (considered == 0).
    OpenPgpImport import(std::string_view keys, std::string_view what);
    // The key with this fingerprint (or key id, or "=user id"); nullptr when
    // the home has none. `secret`: only a key whose secret part is present.
    OpenPgpKey find_key(const std::string& name, bool secret);
    // Every key matching `pattern` ("" for all).
    std::vector<OpenPgpKey> list_keys(const std::string& pattern, bool secret_only);
    // The public keys with these fingerprints (every key when empty), in
    // one armored block or as binary packets.
    std::string export_public_keys(const std::vector<std::string>& fingerprints, bool armored);

    // Throws chantal::Error (kind `kind`) "<what>: <gpgme_strerror(error)>"
    // unless `error` is 0.
    static void check(gpgme_error_t error, std::string_view what, ErrorKind kind = ErrorKind::invalid_input);

private:
    gpgme_ctx_t context_ = nullptr;
    std::string passphrase_;
};

// The one owner of a gpgme_data_t.
class OpenPgpData {
public:
    OpenPgpData();                                 // empty, for output
    explicit OpenPgpData(std::string_view bytes);  // a copy of `bytes`, for input
    ~OpenPgpData();
    OpenPgpData(const OpenPgpData&) = delete;
    OpenPgpData& operator=(const OpenPgpData&) = delete;

    gpgme_data_t get() const { return data_; }
    // Everything written to it so far.
    std::string bytes() const;

private:
    gpgme_data_t data_ = nullptr;
};

}  // namespace chantal
