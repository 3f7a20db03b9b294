// A detached OpenPGP signature as a sync checks an upstream one
// (core/signing/upstream_trust.cpp: TrustedKeys::verify_detached on
// repomd.xml.asc): the input is the signature, the signed data and the
// trusted key are fixed. Every input must end in an outcome, never a throw
// or a crash; a valid outcome needs the one key as signer.
//
// GPGME runs gpg for each check (a few milliseconds): this target is slow by
// nature, and is run mostly for what GPGME itself does with hostile input.
#include <filesystem>

#include "core/signing/trusted_keys.h"
#include "fuzz_support.h"

namespace {

// Made for this target with gpg --quick-gen-key ed25519; its secret key is
// gone. tests/fuzz/corpus/detached_signature/ holds its signatures of kSignedData.
constexpr std::string_view kTrustedKey = R"(-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaw55sBYJKwYBBAHaRw8BAQdAqEnw9gj/vDEvlQeRJ6cZBPGx9v0Nsr6akZxA
Wm8Ebm60I0NoYW50YWwgRnV6eiA8ZnV6ekBleGFtcGxlLmludmFsaWQ+iJAEExYI
ADgWIQTmt/8bKNHllhOwtfsi9ROfsyMbXgUCaw55sAIbAwULCQgHAgYVCgkICwIE
FgIDAQIeAQIXgAAKCRAi9ROfsyMbXu9qAP0fjBKYGzJAjtCD/jTDTTGmJTZMZII5
SX+d7V/M04MPkgD/b9sTVcamh0ReryQV5lESs4+odkdk3JTeft5rh9O8zgw=
=pGOa
-----END PGP PUBLIC KEY BLOCK-----
)";
constexpr std::string_view kSignedData = "chantal fuzz: the signed data\n";

const chantal::TrustedKeys& trusted_keys() {
    static const chantal::TrustedKeys keys = [] {
        chantal::TrustedKeySources sources;
        sources.armored_keys.emplace_back(kTrustedKey);
        return chantal::TrustedKeys(sources, std::filesystem::temp_directory_path());
    }();
    return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    const SignatureCheck check = trusted_keys().verify_detached(kSignedData, fuzz::as_text(data, size));
    if (check.ok())
        fuzz::require(check.signer == trusted_keys().keys().front().fingerprint, "a valid signature names the trusted key");
    else
        fuzz::require(!check.reason.empty(), "a failed check says why");
    return 0;
}
