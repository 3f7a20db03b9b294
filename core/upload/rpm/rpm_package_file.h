// An uploaded .rpm file read into exactly what a sync of a createrepo_c
// repository holding it would catalogue: its primary, filelists and other
// elements, made by libcreaterepo_c from the package header (the same code
// createrepo_c runs, with its default sha256 checksum and changelog limit)
// and read back through our own repodata readers, so that an uploaded
// package's rows look like a synced one's.
//
// Before the header is read, librpm checks the whole file's digests (header
// and payload, as `rpmkeys --checksig --nosignature` does): a truncated or
// otherwise damaged file is refused. Signatures are not checked.
//
// Thread safety: one call per thread; libcreaterepo_c and librpm are
// initialised once per process.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/upload/package_file.h"
#include "metadata/rpm/primary.h"

namespace chantal {

struct RpmPackageFile {
    // Parsed fields and the <package> fragment (xml_copy.h convention);
    // location href is the canonical file name (below), as createrepo_c
    // writes it for a package at the repository's root.
    metadata::PrimaryPackage primary;
    std::string filelists_xml;  // the filelists.xml <package> fragment
    std::string other_xml;      // the other.xml <package> fragment
    std::string file_name;      // name-version-release.arch.rpm
};

// Throws Error::invalid_input naming the file when it is not an RPM package
// or is damaged, Error::io when it cannot be read.
RpmPackageFile read_rpm_package_file(const std::filesystem::path& file);

inline constexpr std::string_view kRpmFileKind = "RPM package";  // PackageFileReader::file_kind()

// Whether a file's first bytes are an RPM lead's magic number.
bool looks_like_rpm(std::string_view first_bytes);

// The upload reader of `type: rpm` repositories (package_file.h): packages
// at "Packages/<first letter>/<canonical file name>", catalogued with
// their primary, filelists and other elements. RPM repositories have no
// components: a component given is refused.
std::unique_ptr<PackageFileReader> rpm_package_file_reader(const RepositoryConfig& repository,
                                                           const std::string& component);

// How many changelog entries other.xml keeps per package (createrepo_c's
// default, --changelog-limit).
inline constexpr int kChangelogLimit = 10;

}  // namespace chantal
