#include "core/signing/trusted_keys.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal {
namespace {

std::string normalised_fingerprint(std::string_view text) {
    std::string result;
    for (unsigned char c : text)
        if (!std::isspace(c)) result.push_back(static_cast<char>(std::toupper(c)));
    return result;
}

std::string read_key_file(const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) throw Error::not_found("key file " + file.string() + " does not exist");
    return read_file(file);
}

std::string first_user_id(gpgme_key_t key) { return key && key->uids && key->uids->uid ? key->uids->uid : ""; }

std::string describe_key(const OpenPgpKeyInfo& key) {
    return key.user_id.empty() ? key.fingerprint : key.fingerprint + " (" + key.user_id + ")";
}

// "2024-01-01" for a unix time.
std::string date_of(unsigned long unix_time) {
    return format_utc_time(static_cast<std::int64_t>(unix_time)).substr(0, 10);
}

// The expiry of the (sub)key that made a signature, 0 when unknown.
unsigned long expiry_of_signing_key(gpgme_key_t key, std::string_view signature_fpr) {
    for (gpgme_subkey_t subkey = key->subkeys; subkey; subkey = subkey->next) {
        const std::string fingerprint = normalised_fingerprint(subkey->fpr ? subkey->fpr : "");
        if (!fingerprint.empty() && fingerprint.ends_with(signature_fpr))
            return static_cast<unsigned long>(subkey->expires);
    }
    return 0;
}

// Lower is more telling, when no signature of a file is valid.
int rank_of(SignatureCheck::Outcome outcome) {
    switch (outcome) {
        case SignatureCheck::Outcome::valid: return 0;
        case SignatureCheck::Outcome::bad: return 1;
        case SignatureCheck::Outcome::key_unusable: return 2;
        case SignatureCheck::Outcome::not_pinned: return 3;
        case SignatureCheck::Outcome::unknown_key: return 4;
        case SignatureCheck::Outcome::unreadable: return 5;
    }
    return 5;
}

// What one signature of a verified file says, copied out of GPGME's result.
struct SignatureMade {
    std::string fingerprint;  // as the signature names it: a (sub)key fingerprint or a key id
    gpgme_err_code_t status = GPG_ERR_NO_ERROR;
    unsigned long expires = 0;  // the signature's own expiry, 0 none
};

std::vector<SignatureMade> signatures_of(gpgme_verify_result_t result) {
    std::vector<SignatureMade> signatures;
    for (gpgme_signature_t made = result ? result->signatures : nullptr; made; made = made->next)
        signatures.push_back({normalised_fingerprint(made->fpr ? made->fpr : ""), gpgme_err_code(made->status),
                              made->exp_timestamp});
    return signatures;
}

SignatureCheck unreadable(const std::string& detail) {
    SignatureCheck check;
    check.outcome = SignatureCheck::Outcome::unreadable;
    check.reason = "not an OpenPGP signature" + detail;
    return check;
}

const OpenPgpKeyInfo* find_info(const std::vector<OpenPgpKeyInfo>& keys, const std::string& fingerprint) {
    for (const auto& key : keys)
        if (key.fingerprint == fingerprint) return &key;
    return nullptr;
}

SignatureCheck check_signature(OpenPgpContext& context, const std::vector<OpenPgpKeyInfo>& keys,
                               const SignatureMade& made) {
    using Outcome = SignatureCheck::Outcome;
    const OpenPgpKey key = made.fingerprint.empty() ? nullptr : context.find_key(made.fingerprint, false);
    const OpenPgpKeyInfo* info = key && key->fpr ? find_info(keys, normalised_fingerprint(key->fpr)) : nullptr;
    SignatureCheck check;
    check.signer = info ? info->fingerprint : made.fingerprint;
    const std::string signer = info ? describe_key(*info) : made.fingerprint;
    if (!info || made.status == GPG_ERR_NO_PUBKEY) {
        check.outcome = Outcome::unknown_key;
        check.reason = "signed by key " + made.fingerprint + ", which is not among the trusted keys";
        return check;
    }
    switch (made.status) {
        case GPG_ERR_NO_ERROR:
            check.outcome = info->pinned ? Outcome::valid : Outcome::not_pinned;
            check.reason = info->pinned ? "good signature by key " + signer
                                        : "signed by key " + signer + ", which is not among the trusted fingerprints";
            return check;
        case GPG_ERR_BAD_SIGNATURE:
            check.outcome = Outcome::bad;
            check.reason = "the signature by key " + signer + " does not match the data (modified or damaged)";
            return check;
        case GPG_ERR_KEY_EXPIRED: {
            const unsigned long expired = expiry_of_signing_key(key.get(), made.fingerprint);
            check.outcome = Outcome::key_unusable;
            check.reason = "signed by key " + signer + ", which expired" + (expired ? " on " + date_of(expired) : "");
            return check;
        }
        case GPG_ERR_CERT_REVOKED:
            check.outcome = Outcome::key_unusable;
            check.reason = "signed by key " + signer + ", which is revoked";
            return check;
        case GPG_ERR_SIG_EXPIRED:
            check.outcome = Outcome::key_unusable;
            check.reason = "the signature by key " + signer + " expired" +
                           (made.expires ? " on " + date_of(made.expires) : "");
            return check;
        default:
            check.outcome = Outcome::key_unusable;
            check.reason =
                "the signature by key " + signer + " cannot be checked: " + gpgme_strerror(gpgme_error(made.status));
            return check;
    }
}

std::vector<std::string> counting_fingerprints(const std::vector<OpenPgpKeyInfo>& keys) {
    std::vector<std::string> fingerprints;
    for (const auto& key : keys)
        if (key.pinned) fingerprints.push_back(key.fingerprint);
    return fingerprints;
}

// Imports every source: the primary fingerprints, in import order, no repeats.
std::vector<std::string> import_sources(OpenPgpContext& context, const TrustedKeySources& sources) {
    std::vector<std::string> fingerprints;
    const auto add = [&](std::string_view keys, const std::string& what) {
        const OpenPgpImport imported = context.import(keys, "cannot import " + what);
        if (imported.considered == 0 || imported.fingerprints.empty())
            throw Error::invalid_input(what + " holds no OpenPGP public key");
        for (const auto& fingerprint : imported.fingerprints)
            if (std::find(fingerprints.begin(), fingerprints.end(), fingerprint) == fingerprints.end())
                fingerprints.push_back(fingerprint);
    };
    for (const auto& file : sources.key_files) add(read_key_file(file), "key file " + file.string());
    for (std::size_t index = 0; index < sources.armored_keys.size(); ++index)
        add(sources.armored_keys[index], "inline key " + std::to_string(index + 1));
    if (sources.gnupg_home) {
        const GnupgHome configured = GnupgHome::existing(*sources.gnupg_home);
        OpenPgpContext reader(configured.path());
        add(reader.export_public_keys({}, false), "GnuPG home " + configured.path().string());
    }
    if (fingerprints.empty()) throw Error::invalid_input("no OpenPGP key given (key_files, keys or gnupg_home)");
    return fingerprints;
}

// Every pinned fingerprint names one of `keys`.
void check_pins(const std::vector<std::string>& pinned, const std::vector<OpenPgpKeyInfo>& keys) {
    for (const auto& wanted : pinned) {
        const bool found = std::any_of(keys.begin(), keys.end(),
                                       [&](const OpenPgpKeyInfo& key) { return key.fingerprint == wanted; });
        if (found) continue;
        std::string known;
        for (const auto& key : keys) known += (known.empty() ? "" : ", ") + describe_key(key);
        throw Error::invalid_input("trusted fingerprint " + wanted + " matches none of the keys given (" + known + ")");
    }
}

}  // namespace

TrustedKeys::TrustedKeys(const TrustedKeySources& sources, const std::filesystem::path& work_directory)
    : home_(GnupgHome::temporary(work_directory)), context_(std::make_unique<OpenPgpContext>(home_.path())) {
    const std::vector<std::string> fingerprints = import_sources(*context_, sources);
    std::vector<std::string> pinned;
    for (const auto& text : sources.trusted_fingerprints) pinned.push_back(normalised_fingerprint(text));
    for (const auto& fingerprint : fingerprints) {
        const OpenPgpKey key = context_->find_key(fingerprint, false);
        const bool counts = pinned.empty() || std::find(pinned.begin(), pinned.end(), fingerprint) != pinned.end();
        keys_.push_back({fingerprint, first_user_id(key.get()), counts});
    }
    check_pins(pinned, keys_);
}

TrustedKeys::~TrustedKeys() = default;

std::string TrustedKeys::describe_trusted() const {
    std::string text;
    for (const auto& key : keys_)
        if (key.pinned) text += (text.empty() ? "" : ", ") + describe_key(key);
    return text;
}

SignatureCheck TrustedKeys::verify_detached(std::string_view data, std::string_view signature) const {
    std::lock_guard lock(mutex_);
    std::vector<SignatureMade> signatures;
    {
        OpenPgpData signature_data(signature), signed_data(data);
        const gpgme_error_t error = gpgme_op_verify(context_->get(), signature_data.get(), signed_data.get(), nullptr);
        if (error) return unreadable(std::string(" (") + gpgme_strerror(error) + ")");
        signatures = signatures_of(gpgme_op_verify_result(context_->get()));
    }
    if (signatures.empty()) return unreadable("");
    std::vector<SignatureCheck> checks;
    for (const auto& made : signatures) checks.push_back(check_signature(*context_, keys_, made));
    return *std::min_element(checks.begin(), checks.end(), [](const SignatureCheck& a, const SignatureCheck& b) {
        return rank_of(a.outcome) < rank_of(b.outcome);
    });
}

SignatureCheck TrustedKeys::verify_clearsigned(std::string_view message, std::string& signed_text) const {
    std::lock_guard lock(mutex_);
    signed_text.clear();
    std::vector<SignatureMade> signatures;
    {
        OpenPgpData signed_message(message), plain;
        const gpgme_error_t error = gpgme_op_verify(context_->get(), signed_message.get(), nullptr, plain.get());
        if (error) return unreadable(std::string(" (") + gpgme_strerror(error) + ")");
        signatures = signatures_of(gpgme_op_verify_result(context_->get()));
        signed_text = plain.bytes();
    }
    if (signatures.empty()) return unreadable("");
    std::vector<SignatureCheck> checks;
    for (const auto& made : signatures) checks.push_back(check_signature(*context_, keys_, made));
    return *std::min_element(checks.begin(), checks.end(), [](const SignatureCheck& a, const SignatureCheck& b) {
        return rank_of(a.outcome) < rank_of(b.outcome);
    });
}

std::string TrustedKeys::armored_public_keys() const {
    std::lock_guard lock(mutex_);
    return context_->export_public_keys(counting_fingerprints(keys_), true);
}

std::vector<std::string> TrustedKeys::binary_public_keys() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> exported;
    for (const auto& fingerprint : counting_fingerprints(keys_))
        exported.push_back(context_->export_public_keys({fingerprint}, false));
    return exported;
}

}  // namespace chantal
