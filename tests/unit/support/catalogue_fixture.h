// CatalogueFixture: a real catalogue file with repositories, packages and
// latest states written directly with SQL, the way a sync leaves them, for
// tests of snapshots, views, package queries and diff (and anything else
// that reads a synced catalogue). Content digests are fake but well-formed
// (sha256 of a seed), so no pool files exist.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/catalogue/catalogue.h"

namespace chantal::test_support {

struct FakePackage {
    std::string name;
    std::uint64_t epoch = 0;
    std::string version = "1.0";
    std::string release = "1";
    std::string arch = "x86_64";
    std::string build = "";  // a different build string gives a different file (same NEVRA, new sha256)
    // Catalogue details (a filter's fields); size 0: a size derived from the name.
    std::uint64_t size = 0;
    std::int64_t build_time = 0;
    std::string license = "MIT";
    std::string vendor = "";
    std::string group = "";

    std::string filename() const;  // name-version-release.arch.rpm
    std::string sha256() const;    // fake, stable for the same fields
};

class CatalogueFixture {
public:
    // Creates (or opens) a catalogue at file.
    explicit CatalogueFixture(const std::filesystem::path& file);

    Database& database() { return catalogue_.database(); }
    Catalogue& catalogue() { return catalogue_; }

    // Inserts the repository row if missing; returns its id.
    std::int64_t add_repository(const std::string& repo_id, const std::string& mode = "mirror");
    // Inserts content item and package rows if missing; returns the package row id.
    std::int64_t add_package(const FakePackage& package);
    // Simulates a successful sync: replaces the repository's latest state
    // with these packages at Packages/<file> plus a repomd.xml and a
    // primary.xml.gz metadata row, and sets last_sync_at and
    // last_repomd_sha256 (derived from the package list).
    void set_latest(const std::string& repo_id, const std::vector<FakePackage>& packages);

private:
    Catalogue catalogue_;
};

}  // namespace chantal::test_support
