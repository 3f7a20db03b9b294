#include "core/catalogue/package_details.h"

#include "core/base/error.h"

namespace chantal {

PackageDetailsReader::PackageDetailsReader(Database& database)
    : select_(database.prepare("SELECT time_build, package_group, license, vendor FROM packages WHERE id = ?1")) {}

PackageDetails PackageDetailsReader::read(std::int64_t package_id) {
    select_.bind(1, package_id);
    if (!select_.step()) {
        select_.reset();
        throw Error::not_found("package row " + std::to_string(package_id) + " is not in the catalogue");
    }
    PackageDetails details;
    details.build_time = select_.column_int64(0);
    details.group = select_.column_text(1);
    details.license = select_.column_text(2);
    details.vendor = select_.column_text(3);
    select_.reset();
    return details;
}

}  // namespace chantal
