// The index files of a generated APT tree (a filtered or hosted `type: apt`
// repository; design.md §2, "APT trees"): the APT format's generate step
// (package_format.h, apt_format.h).
//
//   dists/<suite>/Release, InRelease, Release.gpg (signed with a configured key)
//   dists/<suite>/<component>/binary-<arch>/Packages, Packages.gz, Packages.xz
//   dists/<suite>/<component>/source/Sources{,.gz,.xz} (when the tree holds source files)
//   dists/<suite>/<component>/<dir>/by-hash/SHA256/<sha256> of each index
//     above (apt.by_hash, the default; the Release then says Acquire-By-Hash: yes)
//   <public key name> at the root (when signed)
//
// Packages are upstream's stanzas verbatim with Filename rewritten to the
// tree path (Debian's pool layout, chosen when the sync placed them);
// Architecture: all packages are listed in every binary-<arch> index.
// Sources stanzas (one per .dsc) get Directory rewritten. Every configured
// component and architecture has an index, empty or not, so that apt finds
// every file its sources.list line asks for.
//
// Deterministic: the files depend only on the tree's packages (path,
// package row, content) in path order, its timestamp (Release's Date;
// Valid-Until is valid_until_days after it), its apt settings (suite,
// codename, origin, label, by_hash, not_automatic, but_automatic_upgrades — written
// only with not_automatic —, valid_until_days, components, architectures)
// and its signer; their sha256 is the tree digest. Stored in
// the pool and recorded in generated_metadata ('release' last), as RPM's
// generated repodata is (generated_repodata.h), and reused by every mount,
// export and publish of the same digest.
//
// Thread safety: free functions; the Database belongs to the calling thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/tree/package_format.h"

namespace chantal {

// Bumped whenever the output for the same inputs changes.
inline constexpr std::string_view kGeneratedAptIndexesVersion = "chantal-generated-apt-2";

std::string generated_apt_tree_digest(Database& database, const TreeContents& contents);
std::optional<GeneratedFiles> find_generated_apt_indexes(Database& database, const std::string& tree_digest);
// `database` must be read-write. Throws Error::internal for a mirror tree,
// Error::corrupt when a package lacks its stored stanza.
GeneratedFiles ensure_generated_apt_indexes(Database& database, const Pool& pool, const TreeContents& contents,
                                            std::optional<std::string> tree_digest = std::nullopt);

}  // namespace chantal
