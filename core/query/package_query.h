// Read-only package queries over the catalogue: everything known about one
// package (and every tree that holds it), and a name search across the
// catalogue. The packages of one tree: core/tree/tree_packages.h.
//
// All functions only read; they throw chantal::Error (not_found when nothing
// matches where a match is required). Thread safety: as Database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_package.h"
#include "core/tree/tree_packages.h"

namespace chantal {

// One place that holds a package.
struct PackageHolder {
    TreeAddress tree;
    std::string path;  // path of the package in that tree
};

struct PackageDetails {
    std::int64_t package_id = 0;
    std::string format;         // "rpm"
    std::string name;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    std::string arch;
    std::string checksum_type;  // upstream pkgid type
    std::string checksum;       // upstream pkgid
    std::optional<std::string> sha256;    // of the pooled file; unset until downloaded
    std::optional<std::string> filename;  // pool file name; unset until downloaded
    std::uint64_t size_package = 0;
    std::uint64_t size_installed = 0;
    std::int64_t time_build = 0;  // unix seconds
    std::string sourcerpm;
    std::string summary;
    std::string license;
    std::string vendor;
    std::string group;
    std::string location_href;    // as upstream wrote it
    std::vector<PackageHolder> holders;  // repos, snapshots, views and view snapshots holding it

    std::string evr() const { return format_evr(epoch, version, release); }
    std::string nevra() const { return name + "-" + evr() + "." + arch; }
    // How its format names a package (PackageFormat::package_full_name):
    // the NEVRA for rpm, name_version_arch for apt.
    std::string full_name() const;
    // What its format calls its source package ("source rpm"), for listings.
    std::string_view source_package_label() const;
};

// Finds packages by the SHA-256 of their file (or their upstream pkgid), by
// exact name, or by file name ("nginx-1.24.0-1.el9.x86_64.rpm"). Sorted by
// name, arch, EVR. Throws Error::not_found when nothing matches.
std::vector<PackageDetails> find_packages(Database& database, std::string_view sha256_or_name);

struct PackageSearchHit {
    std::int64_t package_id = 0;
    std::string name;
    std::string evr;
    std::string arch;
    std::vector<std::string> repositories;  // repo ids whose latest state holds it
    std::int64_t snapshot_count = 0;        // repository snapshots holding it
};

// True when query contains glob characters (*, ?, [).
bool is_glob_query(std::string_view query);
// Packages whose name matches: a glob (case-sensitive, whole name) when the
// query has glob characters, else a case-insensitive substring. Only packages
// held by some repository or snapshot. At most `limit` hits (0: no limit),
// sorted by name, arch, EVR.
std::vector<PackageSearchHit> search_packages(Database& database, std::string_view query, std::size_t limit = 0);

}  // namespace chantal
