// Catalogue rows for upstream packages (tables packages and
// package_metadata, which holds the per-package XML), written while
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
#include "core/tree/package_format.h"
#include "metadata/rpm/primary.h"

namespace chantal {

// What a sync keeps in memory for each package primary lists (no XML): an
// UpstreamPackage with everything but its placement (upstream_package() in
// rpm_feed.h places it against the feed), plus what the loader tracks.
// `location` is the location href as upstream wrote it, `location_base` its
// xml:base ("" when absent).
struct CataloguedPackage : UpstreamPackage {
    bool newly_catalogued = false; // inserted by this load
    bool needs_filelists = false;  // the catalogue has no filelists element yet
    bool needs_other = false;      // ... no other (changelog) element yet
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
    Statement insert_metadata_;
    Statement select_;
    Statement update_filelists_;
    Statement update_other_;
};

}  // namespace chantal
