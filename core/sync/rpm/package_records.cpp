#include "core/sync/rpm/package_records.h"

namespace chantal {

PackageRecorder::PackageRecorder(Database& database)
    : insert_(database.prepare(
          "INSERT INTO packages (checksum_type, checksum, name, epoch, version, release, arch, size_package, "
          "size_installed, size_archive, time_build, time_file, sourcerpm, summary, license, vendor, package_group, "
          "location_href, format) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
          "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 'rpm') ON CONFLICT (checksum_type, checksum) DO NOTHING")),
      insert_metadata_(database.prepare(
          "INSERT INTO package_metadata (package_id, primary_xml, filelists_xml, other_xml) VALUES (?1, ?2, ?3, ?4)")),
      select_(database.prepare("SELECT p.id, p.content_id, m.filelists_xml IS NULL, m.other_xml IS NULL "
                               "FROM packages p JOIN package_metadata m ON m.package_id = p.id "
                               "WHERE p.checksum_type = ?1 AND p.checksum = ?2")),
      update_filelists_(database.prepare("UPDATE package_metadata SET filelists_xml = ?2 WHERE package_id = ?1")),
      update_other_(database.prepare("UPDATE package_metadata SET other_xml = ?2 WHERE package_id = ?1")) {}

namespace {

CataloguedPackage catalogued_from(const metadata::PrimaryPackage& package) {
    CataloguedPackage result;
    result.format = &package_format("rpm");
    result.name = package.name;
    result.arch = package.arch;
    result.epoch = package.epoch;
    result.version = package.version;
    result.release = package.release;
    result.checksum_algorithm = package.checksum_algorithm;
    result.checksum = package.checksum;
    result.size = package.package_size;
    result.location = package.location_href;
    result.location_base = package.location_base;
    return result;
}

}  // namespace

CataloguedPackage PackageRecorder::record_primary(const metadata::PrimaryPackage& package) {
    if (auto found = find_catalogued(package)) return std::move(*found);
    return insert_package(package, std::nullopt, std::nullopt);
}

std::optional<CataloguedPackage> PackageRecorder::find_catalogued(const metadata::PrimaryPackage& package) {
    select_.bind(1, hash_algorithm_name(package.checksum_algorithm)).bind(2, package.checksum);
    if (!select_.step()) {
        select_.reset();
        return std::nullopt;
    }
    CataloguedPackage result = catalogued_from(package);
    result.package_id = select_.column_int64(0);
    result.content_id = select_.column_optional_int64(1);
    result.needs_filelists = select_.column_int64(2) != 0;
    result.needs_other = select_.column_int64(3) != 0;
    select_.reset();
    return result;
}

CataloguedPackage PackageRecorder::insert_package(const metadata::PrimaryPackage& package,
                                                  std::optional<std::string_view> filelists_xml,
                                                  std::optional<std::string_view> other_xml) {
    insert_.bind(1, hash_algorithm_name(package.checksum_algorithm))
        .bind(2, package.checksum)
        .bind(3, package.name)
        .bind(4, package.epoch)
        .bind(5, package.version)
        .bind(6, package.release)
        .bind(7, package.arch)
        .bind(8, package.package_size)
        .bind(9, package.installed_size)
        .bind(10, package.archive_size)
        .bind(11, package.build_time)
        .bind(12, package.file_time)
        .bind(13, package.sourcerpm)
        .bind(14, package.summary)
        .bind(15, package.license)
        .bind(16, package.vendor)
        .bind(17, package.group)
        .bind(18, package.location_href);
    insert_.run();
    sqlite3* connection = sqlite3_db_handle(insert_.handle());
    if (sqlite3_changes(connection) == 0) {  // catalogued meanwhile: complete the row
        CataloguedPackage found = *find_catalogued(package);
        if (found.needs_filelists && filelists_xml) {
            set_filelists(found.package_id, *filelists_xml);
            found.needs_filelists = false;
        }
        if (found.needs_other && other_xml) {
            set_other(found.package_id, *other_xml);
            found.needs_other = false;
        }
        return found;
    }
    CataloguedPackage result = catalogued_from(package);
    result.package_id = sqlite3_last_insert_rowid(connection);
    insert_metadata_.bind(1, result.package_id).bind_blob_borrowed(2, package.xml);
    if (filelists_xml) insert_metadata_.bind_blob_borrowed(3, *filelists_xml);
    else insert_metadata_.bind_null(3);
    if (other_xml) insert_metadata_.bind_blob_borrowed(4, *other_xml);
    else insert_metadata_.bind_null(4);
    insert_metadata_.run();
    result.newly_catalogued = true;
    result.needs_filelists = !filelists_xml;
    result.needs_other = !other_xml;
    return result;
}

void PackageRecorder::set_filelists(std::int64_t package_id, std::string_view xml) {
    update_filelists_.bind(1, package_id).bind_blob_borrowed(2, xml).run();
}

void PackageRecorder::set_other(std::int64_t package_id, std::string_view xml) {
    update_other_.bind(1, package_id).bind_blob_borrowed(2, xml).run();
}

}  // namespace chantal
