// The `verify:` policy of one repository's sync or update check
// (design.md §3, Authenticity): its trusted keys, loaded once per run, and
// what a missing or invalid signature does (fail | warn | skip).
//
// Formats call it with their own files (RPM: repomd.xml and
// repomd.xml.asc; APT: Release and Release.gpg); the policy and the
// messages are the same for every format. A failure is one
// Error::invalid_input naming the repository, the file, the signer's key
// and the keys expected, and saying that latest is unchanged.
//
// Thread safety: immutable after construction except for the keys'
// internal serialisation (trusted_keys.h); shareable between threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/config.h"
#include "core/signing/trusted_keys.h"

namespace chantal {

// Why a signature did not pass, for the policy to act on.
struct SignatureProblem {
    bool missing = false;  // no signature at all (on_missing_signature), else invalid (on_invalid_signature)
    std::string reason;    // "signed by key 0123..., which is not trusted"
};

class UpstreamTrust {
public:
    // Loads the keys of `settings`; Error::invalid_input / not_found (from
    // TrustedKeys) prefixed with "repo ID: verify: ".
    UpstreamTrust(const RepositoryConfig& repository, const VerifySettings& settings,
                  const std::filesystem::path& work_directory);

    const VerifySettings& settings() const { return settings_; }
    const TrustedKeys& keys() const { return keys_; }
    // Changes whenever the set of keys that count changes: sha256 over their
    // sorted fingerprints (recorded with a latest whose packages they checked).
    const std::string& keys_digest() const { return keys_digest_; }

    // repo_gpgcheck for a top index: nothing when repo_gpgcheck is off or the
    // signature is good; else the policy: fail throws, warn returns the
    // warning, skip returns nothing. `signature` is nullopt when upstream
    // publishes none. File names are the tree paths, for messages.
    std::vector<std::string> check_index(std::string_view index_path, std::string_view index_bytes,
                                         std::string_view signature_path,
                                         const std::optional<std::string>& signature) const;

    // The same for a clearsigned top index (APT's InRelease): `signed_text`
    // receives the text its signature covers, which is what the caller
    // must read (never the message around it); "" when the message is no
    // clearsigned message at all (which, with repo_gpgcheck, is an invalid
    // signature for the policy).
    std::vector<std::string> check_clearsigned(std::string_view message_path, std::string_view message,
                                               std::string& signed_text) const;

    // The policy's action for a signature with `problem`.
    SignatureProblemAction action_for(const SignatureProblem& problem) const;
    // The setting that decides it, for messages: "verify.on_missing_signature: warn".
    std::string policy_for(const SignatureProblem& problem) const;

    // The problem of a detached-signature check, nullopt when it passed.
    static std::optional<SignatureProblem> problem_of(const SignatureCheck& check);

private:
    // The policy for one top index's signature problem (none: nothing).
    std::vector<std::string> act_on(std::string_view index_path, const std::optional<SignatureProblem>& problem) const;

    std::string repo_id_;
    VerifySettings settings_;
    TrustedKeys keys_;
    std::string keys_digest_;
};

}  // namespace chantal
