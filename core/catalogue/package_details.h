// What a package's catalogue row says beyond its name and version, for the
// filters that read it (filters.metadata.build_time, filters.rpm.groups,
// licenses, vendors). One reader reuses its prepared statement; it belongs
// to one thread and must not outlive its Database.
#pragma once

#include <cstdint>
#include <string>

#include "core/catalogue/sqlite.h"

namespace chantal {

struct PackageDetails {
    std::int64_t build_time = 0;  // unix seconds; 0 when upstream does not say
    std::string group;            // "" when upstream does not say
    std::string license;
    std::string vendor;
};

class PackageDetailsReader {
public:
    explicit PackageDetailsReader(Database& database);
    // The details of packages.id `package_id`. Throws Error::not_found for
    // an id the catalogue does not hold.
    PackageDetails read(std::int64_t package_id);

private:
    Statement select_;
};

}  // namespace chantal
