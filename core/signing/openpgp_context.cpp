#include "core/signing/openpgp_context.h"

#include <sys/types.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>

namespace chantal {
namespace {

void check_gpgme_once() {
    static std::once_flag once;
    static std::string problem;
    std::call_once(once, [] {
        if (!gpgme_check_version(nullptr)) {
            problem = "GPGME cannot be initialised";
        } else if (gpgme_error_t error = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP)) {
            problem = std::string("GPGME has no usable gpg engine: ") + gpgme_strerror(error);
        }
    });
    if (!problem.empty()) throw Error::unsupported(problem);
}

// Loopback pinentry: gives gpg the context's passphrase once; a second ask
// means it was wrong, and asking again would not help.
gpgme_error_t give_passphrase(void* hook, const char*, const char*, int previous_was_bad, int fd) {
    const auto& passphrase = *static_cast<const std::string*>(hook);
    if (previous_was_bad) return gpgme_error(GPG_ERR_BAD_PASSPHRASE);
    if (passphrase.empty()) return gpgme_error(GPG_ERR_NO_PASSPHRASE);
    const std::string line = passphrase + "\n";
    if (gpgme_io_writen(fd, line.data(), line.size()) != 0) return gpgme_error_from_syserror();
    return 0;
}

std::string uppercase(const char* text) {
    std::string result = text ? text : "";
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return result;
}

}  // namespace

OpenPgpContext::OpenPgpContext(const std::filesystem::path& gnupg_home) {
    check_gpgme_once();
    check(gpgme_new(&context_), "cannot create a GPGME context", ErrorKind::unsupported);
    const std::string what = "cannot use GnuPG home " + gnupg_home.string();
    try {
        check(gpgme_set_protocol(context_, GPGME_PROTOCOL_OpenPGP), what, ErrorKind::unsupported);
        check(gpgme_ctx_set_engine_info(context_, GPGME_PROTOCOL_OpenPGP, nullptr, gnupg_home.c_str()), what,
              ErrorKind::unsupported);
        check(gpgme_set_pinentry_mode(context_, GPGME_PINENTRY_MODE_LOOPBACK), what, ErrorKind::unsupported);
    } catch (...) {
        gpgme_release(context_);
        throw;
    }
    gpgme_set_armor(context_, 1);
    gpgme_set_offline(context_, 1);
    gpgme_set_passphrase_cb(context_, give_passphrase, &passphrase_);
}

OpenPgpContext::~OpenPgpContext() { gpgme_release(context_); }

void OpenPgpContext::set_passphrase(std::string passphrase) { passphrase_ = std::move(passphrase); }

void OpenPgpContext::check(gpgme_error_t error, std::string_view what, ErrorKind kind) {
    if (gpgme_err_code(error) == GPG_ERR_NO_ERROR) return;
    throw Error(kind, std::string(what) + ": " + gpgme_strerror(error));
}

OpenPgpImport OpenPgpContext::import(std::string_view keys, std::string_view what) {
    OpenPgpData input(keys);
    check(gpgme_op_import(context_, input.get()), what);
    const gpgme_import_result_t result = gpgme_op_import_result(context_);
    OpenPgpImport imported;
    if (!result) return imported;
    imported.considered = result->considered;
    imported.secret_keys = result->secret_read;
    for (gpgme_import_status_t status = result->imports; status; status = status->next) {
        if (gpgme_err_code(status->result) != GPG_ERR_NO_ERROR || !status->fpr) continue;
        std::string fingerprint = uppercase(status->fpr);
        if (std::find(imported.fingerprints.begin(), imported.fingerprints.end(), fingerprint) ==
            imported.fingerprints.end())
            imported.fingerprints.push_back(std::move(fingerprint));
    }
    return imported;
}

OpenPgpKey OpenPgpContext::find_key(const std::string& name, bool secret) {
    gpgme_key_t found = nullptr;
    const gpgme_error_t error = gpgme_get_key(context_, name.c_str(), &found, secret ? 1 : 0);
    OpenPgpKey key(found);
    if (gpgme_err_code(error) == GPG_ERR_EOF) return nullptr;
    check(error, "gpg key " + name);
    return key;
}

std::vector<OpenPgpKey> OpenPgpContext::list_keys(const std::string& pattern, bool secret_only) {
    const std::string what = "cannot list gpg keys" + (pattern.empty() ? std::string() : " '" + pattern + "'");
    check(gpgme_op_keylist_start(context_, pattern.empty() ? nullptr : pattern.c_str(), secret_only ? 1 : 0), what);
    std::vector<OpenPgpKey> keys;
    for (;;) {
        gpgme_key_t next = nullptr;
        const gpgme_error_t error = gpgme_op_keylist_next(context_, &next);
        if (gpgme_err_code(error) == GPG_ERR_EOF) break;
        if (error) gpgme_op_keylist_end(context_);
        check(error, what);
        keys.emplace_back(next);
    }
    check(gpgme_op_keylist_end(context_), what);
    return keys;
}

std::string OpenPgpContext::export_public_keys(const std::vector<std::string>& fingerprints, bool armored) {
    std::vector<const char*> patterns;
    for (const auto& fingerprint : fingerprints) patterns.push_back(fingerprint.c_str());
    patterns.push_back(nullptr);
    OpenPgpData output;
    gpgme_set_armor(context_, armored ? 1 : 0);
    const gpgme_error_t error =
        gpgme_op_export_ext(context_, fingerprints.empty() ? nullptr : patterns.data(), 0, output.get());
    gpgme_set_armor(context_, 1);
    check(error, "cannot export gpg keys");
    return output.bytes();
}

OpenPgpData::OpenPgpData() {
    check_gpgme_once();
    OpenPgpContext::check(gpgme_data_new(&data_), "cannot create GPGME data", ErrorKind::internal);
}

OpenPgpData::OpenPgpData(std::string_view bytes) {
    check_gpgme_once();
    const gpgme_error_t error = bytes.empty() ? gpgme_data_new(&data_)
                                              : gpgme_data_new_from_mem(&data_, bytes.data(), bytes.size(), 1);
    OpenPgpContext::check(error, "cannot create GPGME data", ErrorKind::internal);
}

OpenPgpData::~OpenPgpData() { gpgme_data_release(data_); }

std::string OpenPgpData::bytes() const {
    if (gpgme_data_seek(data_, 0, SEEK_SET) < 0) throw Error::internal("cannot rewind GPGME data");
    std::string result;
    char buffer[8192];
    for (;;) {
        const ssize_t got = gpgme_data_read(data_, buffer, sizeof buffer);
        if (got < 0) throw Error::internal("cannot read GPGME data");
        if (got == 0) return result;
        result.append(buffer, static_cast<std::size_t>(got));
    }
}

}  // namespace chantal
