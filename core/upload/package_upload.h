// `chantal package upload`: local package files become part of a hosted
// repository's latest (mode: hosted, no feed). Each file is read and
// checked by the reader of the repository's format (package_file.h: .rpm
// files for type rpm, .deb files for type apt; a file that is not an intact
// package of that format is refused, naming the file, and one of another
// format is refused saying so), pooled, catalogued like a synced package,
// and all of one upload join latest in one transaction: one new tree
// version, as a sync makes (latest_switch.h), with generated indexes
// (repodata, or APT's dists/).
//
// A package's identity is its name, version and architecture, versions
// compared in the format's order (RPM: [epoch:]version-release; APT:
// dpkg's order of the Version text, so "1.0" and "0:1.0" are one). Rules,
// checked before anything is written (a refused upload leaves the
// catalogue and latest as they were):
//   - a file whose identity latest already holds as the same bytes is a
//     no-op (but for a pool file missing or of the wrong size: put back
//     from it);
//   - a different file with an identity (or tree path) latest already
//     holds is refused unless `force`, which replaces the old one;
//   - two different files of one identity in one upload are refused.
//
// An upload holds the repository's sync lock (sync_lock.h): an upload and a
// sync or another upload of the same repository never interleave
// (Error::busy when one runs).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/pool/pool.h"

namespace chantal {

struct UploadOptions {
    bool force = false;     // replace a different file of a package latest holds
    std::string component;  // APT: the component the packages go into; "": the first of apt.components
};

enum class UploadOutcome {
    added,      // new in latest
    replaced,   // took the place of a different file of its identity (force)
    unchanged,  // latest held these bytes already
};
const char* upload_outcome_name(UploadOutcome outcome);

struct UploadedPackage {
    std::filesystem::path file;  // as given
    std::string nevra;           // its format's full name: "name-[epoch:]version-release.arch", "name_version_arch"
    std::string sha256;          // of the file
    std::string path;            // its tree path in latest: "Packages/n/name-...rpm", "pool/main/n/name/..."
    UploadOutcome outcome = UploadOutcome::added;
    std::optional<std::string> replaced_sha256;  // replaced: the old file's sha256
};

struct UploadReport {
    std::string repo_id;
    std::vector<UploadedPackage> packages;  // in the order given
    bool latest_changed = false;            // false: every file was unchanged
    std::int64_t packages_total = 0;        // in latest afterwards
};

// Throws Error::invalid_input when the repository is not hosted, when no
// file is given or one is not an intact package of the repository's type,
// for a component the repository does not have; Error::conflict for an
// identity clash without force; Error::busy when a sync or upload of the
// repository runs.
UploadReport upload_packages(const Config& config, const RepositoryConfig& repository, Database& database,
                             const Pool& pool, const std::vector<std::filesystem::path>& files,
                             const UploadOptions& options);

}  // namespace chantal
