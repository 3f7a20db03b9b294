// The control data of a .deb file (the `control` file of its control.tar
// member), read with libapt-pkg's debDebFile, for packages uploaded into a
// hosted repository.
//
// Thread-safe as libapt-pkg's error stack is per thread; one call per file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "metadata/deb/debian_version.h"

namespace chantal::metadata {

struct DebianPackageControl {
    std::string stanza;        // the control file, verbatim, ending in '\n'
    std::string name;          // Package
    std::string version_text;  // Version as written
    DebianVersion version;
    std::string architecture;  // Architecture
    std::string source;        // Source's package name; Package when absent
};

// Reads a .deb's control data. Errors (Error::invalid_input, naming the
// file): not a Debian archive, no control member or control file, a control
// file that is not one deb822 stanza, without Package, Version or
// Architecture, with a version dpkg refuses, or with a Filename, Size or
// SHA256 field (those belong to an index, not to a package).
DebianPackageControl read_deb_control(const std::filesystem::path& deb_file);

// Reads a .deb's data member (data.tar.*) to its end, decompressing it,
// without writing anything: a file whose payload is truncated or damaged
// is refused (Error::invalid_input naming the file). The .deb format has
// no checksum of its own; this is the check dpkg's unpack would fail.
void check_deb_data(const std::filesystem::path& deb_file);

// The Packages stanza for a package: its control stanza followed by
// Filename, Size and SHA256 (the fields an index adds, in apt-ftparchive's
// order).
std::string packages_stanza(const DebianPackageControl& control, std::string_view filename, std::uint64_t size,
                            std::string_view sha256);

}  // namespace chantal::metadata
