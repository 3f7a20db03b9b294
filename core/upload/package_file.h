// The per-format half of `chantal package upload` (package_upload.h): a
// reader that turns a local file into a PackageFile (its identity, its
// place in a generated tree, and how to catalogue it), one per format:
// rpm/rpm_package_file.h (.rpm), deb/deb_package_file.h (.deb). The
// upload rules themselves (same bytes, --force, one transaction) are
// format-neutral and live in package_upload.cpp.
//
// To add a format: a PackageFileReader in core/upload/<format>/ and one
// line in package_file_readers.cpp, the registry.
//
// Thread safety: a reader and its files belong to the one upload that made
// them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/tree/package_format.h"

namespace chantal {

// What makes two files "the same package": equal name and arch, and
// versions equal in the format's order (PackageFormat::compare_versions).
struct PackageIdentity {
    std::string name;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;  // RPM release, Debian revision ("" when none)
    std::string arch;

    bool same_as(const PackageIdentity& other, const PackageFormat& format) const {
        return name == other.name && arch == other.arch &&
               format.compare_versions({epoch, version, release}, {other.epoch, other.version, other.release}) == 0;
    }
};

// One package file read and checked by its format's reader.
class PackageFile {
public:
    virtual ~PackageFile() = default;
    PackageFile() = default;
    PackageFile(const PackageFile&) = delete;
    PackageFile& operator=(const PackageFile&) = delete;

    std::filesystem::path file;  // as given
    PackageIdentity identity;
    std::string full_name;  // for messages and reports: "hello-1.0-1.noarch", "hello_1:2.0-1_amd64"
    std::string sha256;     // of the file's bytes as read
    std::string file_name;  // its canonical name, in the pool and in trees
    std::string path;       // its tree path in a hosted repository's latest

    // Inserts the package's catalogue rows unless its file is catalogued
    // already (as a sync of a repository holding it would), inside the
    // caller's Transaction; returns its packages.id.
    virtual std::int64_t catalogue(Database& database) const = 0;
};

class PackageFileReader {
public:
    virtual ~PackageFileReader() = default;
    // The file name suffix `--directory` collects: ".rpm", ".deb".
    virtual std::string_view file_extension() const = 0;
    // For messages: "RPM package", "Debian package (.deb)".
    virtual std::string_view file_kind() const = 0;
    // Reads and checks one file. Throws Error::invalid_input naming the file
    // when it is not an intact package of the format, Error::io when it
    // cannot be read.
    virtual std::unique_ptr<PackageFile> read(const std::filesystem::path& file) const = 0;
};

// The reader of uploads into `repository` (by its type). `component` is
// the APT component the packages go into ("" for the first of
// apt.components). Throws Error::invalid_input for a component the
// repository does not have (or any component for a format without them),
// Error::unsupported for a type without an upload reader.
std::unique_ptr<PackageFileReader> package_file_reader(const RepositoryConfig& repository, const std::string& component);

// Which format's package a file looks like by its first bytes (a cheap
// look at the magic number, not a check): the reader's file_kind(), or
// nullopt for none. Throws Error::io when it cannot be read.
std::optional<std::string> package_file_kind_of(const std::filesystem::path& file);

}  // namespace chantal
