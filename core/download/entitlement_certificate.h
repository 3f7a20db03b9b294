// The client certificate of `auth: {type: client_cert, cert_dir: DIR}`: an
// entitlement pair as subscription-manager writes it, NUMBER.pem and
// NUMBER-key.pem (e.g. /etc/pki/entitlement/1234567890.pem and
// 1234567890-key.pem). Read at each sync, so a renewed entitlement is used
// without a config change.
#pragma once

#include <filesystem>

namespace chantal {

struct EntitlementPair {
    std::filesystem::path certificate;
    std::filesystem::path key;
    std::size_t pairs_found = 0;  // how many complete pairs the directory holds
};

// The pair in `directory` whose certificate was modified last (ties: the
// larger number). Files that are not NUMBER.pem with a NUMBER-key.pem
// beside them are ignored. Throws Error::not_found naming the directory
// when it holds no pair or cannot be read.
EntitlementPair pick_entitlement_pair(const std::filesystem::path& directory);

}  // namespace chantal
