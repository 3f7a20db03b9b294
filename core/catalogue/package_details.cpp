#include "core/catalogue/package_details.h"

#include "core/base/error.h"
#include "metadata/deb/deb822.h"

namespace chantal {

namespace {

constexpr const char* kSelectRow = "SELECT time_build, package_group, license, vendor FROM packages WHERE id = ?1";
// The same with the stored stanza (or XML) last.
constexpr const char* kSelectRowAndStanza =
    "SELECT p.time_build, p.package_group, p.license, p.vendor, m.primary_xml FROM packages p "
    "LEFT JOIN package_metadata m ON m.package_id = p.id WHERE p.id = ?1";

}  // namespace

PackageDetailsReader::PackageDetailsReader(Database& database, bool with_priority)
    : with_priority_(with_priority), select_(database.prepare(with_priority ? kSelectRowAndStanza : kSelectRow)) {}

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
    if (with_priority_) details.priority = metadata::deb822_field_first_line(select_.column_text_view(4), "Priority");
    select_.reset();
    return details;
}

}  // namespace chantal
