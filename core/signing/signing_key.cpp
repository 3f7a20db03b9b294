#include "core/signing/signing_key.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <system_error>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"

namespace chantal {
namespace {

constexpr std::string_view test_text = "chantal: can this key sign?\n";

std::string read_existing_file(const std::filesystem::path& file, const std::string& what) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) throw Error::not_found(what + " " + file.string() + " does not exist");
    return read_file(file);
}

// The configured passphrase; nullopt when none (an empty one is none).
std::optional<std::string> passphrase_of(const SigningKeySource& source) {
    std::string passphrase;
    if (source.passphrase) {
        passphrase = *source.passphrase;
    } else if (source.passphrase_file) {
        passphrase = read_existing_file(*source.passphrase_file, "passphrase file");
        if (passphrase.ends_with('\n')) passphrase.pop_back();
        if (passphrase.ends_with('\r')) passphrase.pop_back();
    }
    if (passphrase.empty()) return std::nullopt;
    return passphrase;
}

GnupgHome home_for(const SigningKeySource& source, const std::filesystem::path& work_directory,
                   const std::filesystem::path& default_gnupg_home) {
    if (source.key_file) return GnupgHome::temporary(work_directory);
    if (source.gnupg_home) return GnupgHome::existing(*source.gnupg_home, source.generate);
    return GnupgHome::existing(default_gnupg_home, true);
}

std::string uppercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::string user_id_of(const SigningKeySource& source) {
    return source.key_email.empty() ? source.key_name : source.key_name + " <" + source.key_email + ">";
}

// The one secret key matching `pattern`; nullptr when none.
OpenPgpKey only_secret_key(OpenPgpContext& context, const std::string& pattern, const std::string& where) {
    std::vector<OpenPgpKey> keys = context.list_keys(pattern, true);
    if (keys.size() > 1 && pattern.empty())
        throw Error::invalid_input(where + " holds " + std::to_string(keys.size()) + " secret keys; set key_id");
    if (keys.size() > 1)
        throw Error::invalid_input("gpg key " + pattern + ": " + std::to_string(keys.size()) + " secret keys in " +
                                   where + " match; give a fingerprint");
    return keys.empty() ? nullptr : std::move(keys.front());
}

OpenPgpKey imported_key(OpenPgpContext& context, const SigningKeySource& source) {
    const std::string what = "key file " + source.key_file->string();
    const OpenPgpImport imported =
        context.import(read_existing_file(*source.key_file, "key file"), "cannot import " + what);
    if (imported.secret_keys == 0) throw Error::invalid_input(what + " holds no OpenPGP secret key");
    OpenPgpKey key = only_secret_key(context, source.key_id, what);
    if (!key) throw Error::not_found("gpg key " + source.key_id + ": no secret key in " + what);
    return key;
}

OpenPgpKey existing_key(OpenPgpContext& context, const SigningKeySource& source, const std::filesystem::path& home) {
    if (source.key_id.empty()) throw Error::invalid_input("gpg: key_id, key_file or generate_key is required");
    OpenPgpKey key = only_secret_key(context, source.key_id, "GnuPG home " + home.string());
    if (!key) throw Error::not_found("gpg key " + source.key_id + ": no secret key in GnuPG home " + home.string());
    return key;
}

// Held while one process looks for, and maybe creates, the generated key.
UniqueFd lock_generation(const std::filesystem::path& home) {
    const std::filesystem::path lock_path = home / ".chantal-generate.lock";
    UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!lock) throw Error::io("cannot open " + lock_path.string(), errno);
    while (::flock(lock.get(), LOCK_EX) != 0)
        if (errno != EINTR) throw Error::io("cannot lock " + lock_path.string(), errno);
    return lock;
}

struct OpenedKey {
    OpenPgpKey key;
    bool generated = false;
};

OpenedKey found_or_generated_key(OpenPgpContext& context, const SigningKeySource& source,
                                 const std::filesystem::path& home, bool has_passphrase) {
    const UniqueFd lock = lock_generation(home);
    const std::string user_id = user_id_of(source);
    const std::string pattern = source.key_id.empty() ? "=" + user_id : source.key_id;
    if (OpenPgpKey key = only_secret_key(context, pattern, "GnuPG home " + home.string()))
        return {std::move(key), false};
    const unsigned flags = GPGME_CREATE_SIGN | GPGME_CREATE_NOEXPIRE | (has_passphrase ? 0 : GPGME_CREATE_NOPASSWD);
    OpenPgpContext::check(gpgme_op_createkey(context.get(), user_id.c_str(), "ed25519", 0, 0, nullptr, flags),
                          "cannot generate gpg key '" + user_id + "' in " + home.string());
    const gpgme_genkey_result_t result = gpgme_op_genkey_result(context.get());
    const std::string fingerprint = result && result->fpr ? result->fpr : "";
    OpenPgpKey key = fingerprint.empty() ? nullptr : context.find_key(fingerprint, true);
    if (!key) throw Error::internal("gpg key '" + user_id + "' was generated but cannot be found in " + home.string());
    return {std::move(key), true};
}

// Why `key` cannot sign, "" when it can.
std::string unusable_because(gpgme_key_t key) {
    if (key->revoked) return "the key is revoked";
    if (key->expired) return "the key has expired";
    if (key->disabled) return "the key is disabled";
    if (key->invalid) return "the key is invalid";
    if (!key->can_sign) return "the key has no usable signing (sub)key";
    return "";
}

bool strong_digest(gpgme_hash_algo_t algorithm) {
    return algorithm == GPGME_MD_SHA256 || algorithm == GPGME_MD_SHA384 || algorithm == GPGME_MD_SHA512;
}

// A signature of `data` made in `mode`: GPGME_SIG_MODE_DETACH (the
// signature alone) or GPGME_SIG_MODE_CLEAR (the text with its signature).
std::string signature_of(gpgme_ctx_t context, std::string_view data, gpgme_sig_mode_t mode, const std::string& what) {
    OpenPgpData plain(data), signature;
    OpenPgpContext::check(gpgme_op_sign(context, plain.get(), signature.get(), mode), what);
    const gpgme_sign_result_t result = gpgme_op_sign_result(context);
    if (!result || result->invalid_signers || !result->signatures)
        throw Error::invalid_input(what + ": gpg made no signature");
    if (!strong_digest(result->signatures->hash_algo)) {
        const char* name = gpgme_hash_algo_name(result->signatures->hash_algo);
        throw Error::invalid_input(what + ": gpg signs with " + (name ? name : "a weak digest") +
                                   "; set personal-digest-preferences SHA256 in gpg.conf");
    }
    return signature.bytes();
}

}  // namespace

SigningKey::SigningKey(const SigningKeySource& source, const std::filesystem::path& work_directory,
                       const std::filesystem::path& default_gnupg_home)
    : home_(home_for(source, work_directory, default_gnupg_home)),
      context_(std::make_unique<OpenPgpContext>(home_.path())) {
    const std::optional<std::string> passphrase = passphrase_of(source);
    if (passphrase) context_->set_passphrase(*passphrase);
    OpenedKey opened;
    if (source.key_file) {
        opened.key = imported_key(*context_, source);
    } else if (source.generate) {
        opened = found_or_generated_key(*context_, source, home_.path(), passphrase.has_value());
    } else {
        opened.key = existing_key(*context_, source, home_.path());
    }
    fingerprint_ = uppercase(opened.key->fpr ? opened.key->fpr : "");
    generated_ = opened.generated;
    const std::string what = "gpg key " + fingerprint_;
    if (const std::string why = unusable_because(opened.key.get()); !why.empty())
        throw Error::invalid_input(what + ": " + why);
    gpgme_signers_clear(context_->get());
    OpenPgpContext::check(gpgme_signers_add(context_->get(), opened.key.get()), what);
    signature_of(context_->get(), test_text, GPGME_SIG_MODE_DETACH, what + ": cannot sign");
    public_key_ = source.public_key_file ? read_existing_file(*source.public_key_file, "public key file")
                                         : context_->export_public_keys({fingerprint_}, true);
}

SigningKey::~SigningKey() = default;

std::string SigningKey::sign_detached(std::string_view data) const {
    std::lock_guard lock(mutex_);
    return signature_of(context_->get(), data, GPGME_SIG_MODE_DETACH, "gpg key " + fingerprint_ + ": cannot sign");
}

std::string SigningKey::sign_clear(std::string_view text) const {
    std::lock_guard lock(mutex_);
    return signature_of(context_->get(), text, GPGME_SIG_MODE_CLEAR, "gpg key " + fingerprint_ + ": cannot sign");
}

}  // namespace chantal
