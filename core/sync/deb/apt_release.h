// The top of an APT upstream: dists/<distribution>/InRelease (else Release
// and Release.gpg), fetched when a feed is opened, its signature checked
// per the `verify:` policy, its Valid-Until per apt.check_valid_until, and
// the Release text parsed (the text the signature covers, never the
// message around it); and which of the index files it lists a sync takes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/download/download.h"
#include "core/signing/upstream_trust.h"
#include "core/tree/package_format.h"
#include "metadata/deb/release_file.h"

namespace chantal {

struct UpstreamRelease {
    std::string directory;                  // tree path of the Release files: "dists/bookworm/", "" when flat
    std::optional<std::string> in_release;  // InRelease as fetched
    std::optional<std::string> release;     // Release as fetched
    std::optional<std::string> release_signature;  // Release.gpg as fetched
    std::string sha256;                     // over the three, as fetched: equal means upstream is unchanged
    metadata::ReleaseFile parsed;
    std::vector<std::string> warnings;      // signature problems the policy lets pass
};

// Fetches and checks the Release files of `repository` (type apt). Errors
// (chantal::Error naming the repository and the file; "latest is
// unchanged"): neither InRelease nor Release, a signature the policy
// refuses, an expired Valid-Until, a Release that does not parse.
// `now` is unix seconds.
UpstreamRelease fetch_upstream_release(Downloader& downloader, const RepositoryConfig& repository,
                                       const UpstreamTrust* trust, std::int64_t now);

// One index file a sync takes from the Release's list.
struct SelectedIndex {
    const metadata::ReleaseIndexEntry* entry = nullptr;  // into the ReleaseFile
    std::string metadata_type;  // packages, sources, component_release, translation, contents
    std::string group;          // the index without its compression suffix: "main/binary-amd64/Packages"
    std::optional<std::uint64_t> open_size;  // size of the uncompressed variant, when the Release lists it
};

// The index files of the configured components and architectures
// (binary-all too when the Release lists it: apt asks for it), with
// Sources, Translations and Contents as configured; with
// IndexScope::package_lists, only Packages (and Sources) files. Every
// compression listed is taken (a client may ask for any). Throws
// Error::invalid_input naming the first configured component/architecture
// for which the Release lists no Packages index.
std::vector<SelectedIndex> select_release_indexes(const metadata::ReleaseFile& release, const AptSettings& apt,
                                                  IndexScope scope, const std::string& repo_id);

}  // namespace chantal
