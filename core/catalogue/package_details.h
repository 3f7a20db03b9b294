// What a package's catalogue row says beyond its name and version, for the
// filters that read it (filters.metadata.build_time, filters.rpm.groups,
// licenses, vendors, filters.deb.sections and priorities). One reader
// reuses its prepared statement; it belongs to one thread and must not
// outlive its Database.
#pragma once

#include <cstdint>
#include <string>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct PackageDetails {
    std::int64_t build_time = 0;  // unix seconds; 0 when upstream does not say
    std::string group;            // "" when upstream does not say; an APT package's Section
    std::string license;
    std::string vendor;
    std::string priority;  // an APT package's Priority (from its stored stanza); "" when not read or absent
};

class PackageDetailsReader {
public:
    // `with_priority`: also read Priority from the package's stored stanza
    // (package_metadata.primary_xml of an APT package), which costs a read
    // of the stanza; only a priorities filter needs it.
    explicit PackageDetailsReader(Database& database, bool with_priority = false);
    // The details of packages.id `package_id`. Throws Error::not_found for
    // an id the catalogue does not hold.
    PackageDetails read(std::int64_t package_id);

private:
    bool with_priority_;
    Statement select_;
};

}  // namespace chantal
