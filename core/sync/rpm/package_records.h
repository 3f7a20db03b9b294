// Catalogue rows for upstream packages (table packages), written while
// primary, filelists and other stream by. One recorder reuses its prepared
// statements; it belongs to one thread and must not outlive its Database.
// Callers wrap a whole load in one Transaction (bulk inserts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/hash.h"
#include "core/catalogue/sqlite.h"
#include "metadata/rpm/primary.h"

namespace chantal {

// What a sync keeps in memory for each upstream package (no XML).
struct CataloguedPackage {
    std::int64_t package_id = 0;
    std::string name;
    std::string arch;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    HashAlgorithm checksum_algorithm = HashAlgorithm::sha256;
    std::string checksum;          // upstream pkgid, lowercase hex
    std::uint64_t package_size = 0;
    std::string location_href;     // as upstream wrote it
    std::string location_base;     // xml:base, "" when absent
    std::optional<std::int64_t> content_id;  // set when the file is in the pool
    bool newly_catalogued = false;           // inserted by this load
    bool needs_filelists = false;            // the catalogue has no filelists element yet
    bool needs_other = false;                // ... no other (changelog) element yet

    // The package's file name computed from its NEVRA (name-version-release.arch.rpm),
    // never taken from the href: used for pool names and generated tree paths.
    std::string file_name() const;
    std::string nevra() const;               // name-[epoch:]version-release.arch
};

class PackageRecorder {
public:
    explicit PackageRecorder(Database& database);
    // Inserts the package unless its pkgid is already catalogued; returns
    // what the catalogue holds for it.
    CataloguedPackage record_primary(const metadata::PrimaryPackage& package);
    // What the catalogue holds for the package's pkgid; nullopt when it is
    // not catalogued yet (nothing is written).
    std::optional<CataloguedPackage> find_catalogued(const metadata::PrimaryPackage& package);
    // Inserts a package find_catalogued() did not know, with its filelists /
    // other element when given (one INSERT: rows are never rewritten). When
    // the pkgid turns out to be catalogued after all, stores the given
    // elements the row lacks. needs_filelists / needs_other tell what the
    // row still lacks afterwards.
    CataloguedPackage insert_package(const metadata::PrimaryPackage& package,
                                     std::optional<std::string_view> filelists_xml,
                                     std::optional<std::string_view> other_xml);
    // Stores the per-package filelists / other element of a package row.
    void set_filelists(std::int64_t package_id, std::string_view xml);
    void set_other(std::int64_t package_id, std::string_view xml);

private:
    Statement insert_;
    Statement select_;
    Statement update_filelists_;
    Statement update_other_;
};

}  // namespace chantal
