// The upload reader of `type: apt` repositories (package_file.h): a .deb's
// control data read with libapt-pkg (metadata/deb/deb_file.h; refused:
// what read_deb_control refuses, and Architecture: source), its whole
// data member decompressed once so that a truncated or damaged file is
// refused, and the package placed in Debian's pool layout of the chosen
// component (pool/<component>/<prefix>/<source>/<name>_<version>_<arch>.deb,
// the version without its epoch, as Debian names its files). It is
// catalogued as a sync of an index listing it would (AptPackageRecorder,
// core/sync/deb/apt_package_records.h), with the Packages stanza an index
// would hold (its control stanza plus Filename, Size and SHA256), which the
// generated tree's indexes are made from.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/upload/package_file.h"

namespace chantal {

inline constexpr std::string_view kDebFileKind = "Debian package (.deb)";  // PackageFileReader::file_kind()

// Whether a file's first bytes are a Debian binary package's: an ar
// archive whose first member is debian-binary.
bool looks_like_deb(std::string_view first_bytes);

// `component` "" is the first of the repository's apt.components; one it
// does not list is refused (Error::invalid_input).
std::unique_ptr<PackageFileReader> deb_package_file_reader(const RepositoryConfig& repository,
                                                           const std::string& component);

}  // namespace chantal
