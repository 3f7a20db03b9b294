#include "core/signing/tree_signing_keys.h"


#include "core/base/error.h"

namespace chantal {
namespace {

SigningKeySource source_of(const SigningSettings& settings) {
    SigningKeySource source;
    source.key_file = settings.key_file;
    source.key_id = settings.key_id;
    source.gnupg_home = settings.gnupg_home;
    source.passphrase = settings.passphrase;
    source.passphrase_file = settings.passphrase_file;
    source.public_key_file = settings.public_key_file;
    source.generate = settings.generate_key;
    source.key_name = settings.key_name;
    source.key_email = settings.key_email;
    return source;
}

}  // namespace

TreeSigningKeys::TreeSigningKeys(const Config& config, KeyGenerated on_generated)
    : config_(config), on_generated_(std::move(on_generated)) {}

std::shared_ptr<const SigningKey> TreeSigningKeys::key(const SigningSettings& settings) {
    std::lock_guard lock(mutex_);
    const std::string id = settings.location.describe();
    if (auto found = keys_.find(id); found != keys_.end()) return found->second;
    const std::filesystem::path default_home = config_.storage.base_path / "gnupg";
    std::shared_ptr<const SigningKey> key;
    try {
        key = std::make_shared<const SigningKey>(source_of(settings), config_.storage.temp_path, default_home);
    } catch (const Error& error) {
        throw Error(error.kind(), id + ": " + error.what(), error.system_errno());
    }
    if (key->generated() && on_generated_)
        on_generated_(key->fingerprint(), settings.gnupg_home.value_or(default_home).string());
    keys_.emplace(id, key);
    return key;
}

std::optional<TreeSigner> TreeSigningKeys::signer_for(const TreeAddress& ref) {
    const std::optional<SigningSettings>* settings = nullptr;
    if (ref.is_view()) {
        if (const auto* view = config_.find_view(ref.owner)) settings = &view->signing;
    } else if (const auto* repository = config_.find_repository(ref.owner)) {
        settings = &repository->signing;
    }
    if (!settings || !*settings) return std::nullopt;
    return TreeSigner{key(**settings), (*settings)->public_key_name};
}

}  // namespace chantal
