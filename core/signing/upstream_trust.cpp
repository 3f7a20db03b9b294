#include "core/signing/upstream_trust.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/base/hash.h"

namespace chantal {
namespace {

TrustedKeys load_keys(const RepositoryConfig& repository, const VerifySettings& settings,
                      const std::filesystem::path& work_directory) {
    TrustedKeySources sources;
    sources.key_files = settings.key_files;
    sources.armored_keys = settings.keys;
    sources.gnupg_home = settings.gnupg_home;
    sources.trusted_fingerprints = settings.trusted_fingerprints;
    try {
        return TrustedKeys(sources, work_directory);
    } catch (const Error& error) {
        throw Error(error.kind(), "repo " + repository.id + ": verify: " + error.what(), error.system_errno());
    }
}

std::string digest_of(const TrustedKeys& keys) {
    std::vector<std::string> fingerprints;
    for (const auto& key : keys.keys())
        if (key.pinned) fingerprints.push_back(key.fingerprint);
    std::sort(fingerprints.begin(), fingerprints.end());
    std::string text;
    for (const auto& fingerprint : fingerprints) text += fingerprint + "\n";
    return sha256_hex(text);
}

}  // namespace

UpstreamTrust::UpstreamTrust(const RepositoryConfig& repository, const VerifySettings& settings,
                             const std::filesystem::path& work_directory)
    : repo_id_(repository.id), settings_(settings), keys_(load_keys(repository, settings, work_directory)),
      keys_digest_(digest_of(keys_)) {}

std::optional<SignatureProblem> UpstreamTrust::problem_of(const SignatureCheck& check) {
    if (check.ok()) return std::nullopt;
    return SignatureProblem{false, check.reason};
}

std::vector<std::string> UpstreamTrust::check_index(std::string_view index_path, std::string_view index_bytes,
                                                    std::string_view signature_path,
                                                    const std::optional<std::string>& signature) const {
    if (!settings_.repo_gpgcheck) return {};
    if (!signature) return act_on(index_path, SignatureProblem{true, "upstream publishes no " + std::string(signature_path)});
    return act_on(index_path, problem_of(keys_.verify_detached(index_bytes, *signature)));
}

std::vector<std::string> UpstreamTrust::check_clearsigned(std::string_view message_path, std::string_view message,
                                                          std::string& signed_text) const {
    const SignatureCheck check = keys_.verify_clearsigned(message, signed_text);
    if (!settings_.repo_gpgcheck) return {};
    return act_on(message_path, problem_of(check));
}

std::vector<std::string> UpstreamTrust::act_on(std::string_view index_path,
                                               const std::optional<SignatureProblem>& problem) const {
    if (!problem) return {};
    const std::string what = std::string(index_path) + ": " + problem->reason;
    switch (action_for(*problem)) {
        case SignatureProblemAction::skip: return {};
        case SignatureProblemAction::warn: return {what + " (" + policy_for(*problem) + "; used unverified)"};
        case SignatureProblemAction::fail: break;
    }
    throw Error::invalid_input("repo " + repo_id_ + ": " + what + "; trusted: " + keys_.describe_trusted() +
                               "; latest is unchanged" +
                               (problem->missing ? " (set verify.on_missing_signature: warn to accept an unsigned upstream)"
                                                 : ""));
}

SignatureProblemAction UpstreamTrust::action_for(const SignatureProblem& problem) const {
    return problem.missing ? settings_.on_missing_signature : settings_.on_invalid_signature;
}

std::string UpstreamTrust::policy_for(const SignatureProblem& problem) const {
    return std::string(problem.missing ? "verify.on_missing_signature: " : "verify.on_invalid_signature: ") +
           signature_problem_action_name(action_for(problem));
}

}  // namespace chantal
