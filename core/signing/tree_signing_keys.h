// Which key signs which generated tree (design.md §2): a repository's
// `gpg:`, a view's `gpg:`, else the top-level one (the config resolves the
// inheritance). The mount, publish and export all ask here, so a tree is
// signed by the same key everywhere; a tree with no key stays unsigned
// (never signed with a key it should not have). Mirror trees are never
// re-signed: callers attach a signer to generated trees only.
//
// Keys are opened on first use and kept for the object's lifetime, one per
// `gpg:` section. A key that cannot be opened (missing file, wrong
// passphrase) is an error for every tree it signs: such a tree is never
// served unsigned instead.
//
// Thread safety: signer_for() may be called from any thread.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/catalogue/tree_address.h"
#include "core/config/config.h"
#include "core/signing/signing_key.h"

namespace chantal {

// The signer of one generated tree.
struct TreeSigner {
    std::shared_ptr<const SigningKey> key;
    std::string public_key_name;  // the file at the tree root that serves key->armored_public_key()
};

class TreeSigningKeys {
public:
    // Called once when opening a key created it (generate_key): the CLI
    // prints the fingerprint, the daemon logs it. May be empty.
    using KeyGenerated = std::function<void(const std::string& fingerprint, const std::string& gnupg_home)>;

    // `config` must outlive this object. Keys without a gnupg_home of their
    // own live in <storage.base_path>/gnupg; temporary homes go below
    // storage.temp_path.
    explicit TreeSigningKeys(const Config& config, KeyGenerated on_generated = {});

    // The signer of `ref`'s tree when it is generated and has a key;
    // nullopt for unsigned trees and for repos or views the config does not
    // name. Throws chantal::Error when the configured key cannot be used.
    std::optional<TreeSigner> signer_for(const TreeAddress& ref);

    // The config this object reads (also for the other per-tree settings
    // of generated trees, tree.h attach_generation_settings).
    const Config& config() const { return config_; }

    // The key of one `gpg:` section, opened on first use.
    std::shared_ptr<const SigningKey> key(const SigningSettings& settings);

private:
    const Config& config_;
    KeyGenerated on_generated_;
    std::mutex mutex_;  // guards keys_; held while a key opens
    std::map<std::string, std::shared_ptr<const SigningKey>> keys_;  // by the section's file:line
};

}  // namespace chantal
