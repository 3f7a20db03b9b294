#include "core/sync/deb/apt_package_records.h"

#include <charconv>
#include <cstdint>

#include "metadata/deb/deb822.h"

namespace chantal {
namespace {

// Installed-Size (KiB) in bytes; 0 when absent or not a number.
std::uint64_t installed_bytes(std::string_view stanza) {
    const std::string_view text = metadata::deb822_field_first_line(stanza, "Installed-Size");
    std::uint64_t kib = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), kib);
    if (error != std::errc() || end != text.data() + text.size() || kib > (UINT64_MAX >> 10)) return 0;
    return kib << 10;
}

}  // namespace

AptPackageRecorder::AptPackageRecorder(Database& database)
    : insert_(database.prepare(
          "INSERT INTO packages (checksum_type, checksum, name, epoch, version, release, arch, size_package, "
          "sourcerpm, summary, package_group, location_href, size_installed, format) "
          "VALUES ('sha256', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'apt') "
          "ON CONFLICT (checksum_type, checksum) DO NOTHING")),
      insert_metadata_(database.prepare("INSERT INTO package_metadata (package_id, primary_xml) VALUES (?1, ?2)")),
      select_(database.prepare("SELECT id, content_id FROM packages WHERE checksum_type = 'sha256' AND checksum = ?1")) {}

UpstreamPackage AptPackageRecorder::record(const metadata::DebianPackage& package, const std::string& component) {
    UpstreamPackage result;
    result.component = component;
    result.source_name = package.source;
    result.name = package.name;
    result.arch = package.architecture;
    result.epoch = package.version.epoch;
    result.version = package.version.upstream;
    result.release = package.version.revision;
    result.checksum = package.sha256;
    result.size = package.size;
    result.location = package.filename;
    return insert(std::move(result), package.source, package.section,
                  metadata::deb822_field_first_line(package.stanza, "Description"),
                  installed_bytes(package.stanza), package.stanza);
}

UpstreamPackage AptPackageRecorder::record(const metadata::DebianSource& source, const metadata::SourceFile& file,
                                           const std::string& component) {
    UpstreamPackage result;
    result.component = component;
    result.source_name = source.name;
    result.name = source.name;
    result.arch = "source";
    result.epoch = source.version.epoch;
    result.version = source.version.upstream;
    result.release = source.version.revision;
    result.checksum = file.sha256;
    result.size = file.size;
    result.location = source.directory + "/" + file.name;
    return insert(std::move(result), source.name, metadata::deb822_field_first_line(source.stanza, "Section"), "", 0,
                  source.stanza);
}

UpstreamPackage AptPackageRecorder::insert(UpstreamPackage package, std::string_view source, std::string_view section,
                                           std::string_view summary, std::uint64_t installed_size, std::string_view stanza) {
    package.format = &package_format("apt");
    package.checksum_algorithm = HashAlgorithm::sha256;
    package.placement = MirrorPlacement::in_tree;  // the index readers refuse any Filename that is not a clean path
    insert_.bind(1, package.checksum)
        .bind(2, package.name)
        .bind(3, package.epoch)
        .bind(4, package.version)
        .bind(5, package.release)
        .bind(6, package.arch)
        .bind(7, package.size)
        .bind(8, source)
        .bind(9, summary)
        .bind(10, section)
        .bind(11, package.location)
        .bind(12, installed_size);
    insert_.run();
    sqlite3* connection = sqlite3_db_handle(insert_.handle());
    if (sqlite3_changes(connection) == 0) {
        select_.bind(1, package.checksum);
        select_.step();
        package.package_id = select_.column_int64(0);
        package.content_id = select_.column_optional_int64(1);
        select_.reset();
        return package;
    }
    package.package_id = sqlite3_last_insert_rowid(connection);
    insert_metadata_.bind(1, package.package_id).bind_blob_borrowed(2, stanza).run();
    return package;
}

}  // namespace chantal
