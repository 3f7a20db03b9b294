// The one owner of a GPGME context (gpgme_ctx_t), bound to one GnupgHome.
//
// The context speaks OpenPGP through the gpg engine with its home set to the
// given directory (never $GNUPGHOME or ~/.gnupg), ASCII armor on, and
// pinentry in loopback mode: a passphrase, when one is set, is given by
// set_passphrase() and never asked for on a terminal.
//
// Errors from GPGME become chantal::Error with GPGME's own words
// (gpgme_strerror) after the caller's context, e.g.
// "cannot import /etc/keys/a.asc: Invalid crypto engine".
//
// Thread safety: one context per thread at a time (GPGME's rule); the
// GnupgHome must outlive the context. gpgme_check_version() is called once
// per process (thread-safe, by the first constructor).
#pragma once

#include <gpgme.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace chantal {

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

    // Throws chantal::Error (kind `kind`) "<what>: <gpgme_strerror(error)>"
    // unless `error` is 0.
    static void check(gpgme_error_t error, std::string_view what);

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
