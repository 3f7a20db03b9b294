#include "core/sync/deb/apt_package_records.h"

namespace chantal {
namespace {

// The first line of the stanza's Description field ("" when absent).
std::string_view description_summary(std::string_view stanza) {
    constexpr std::string_view kField = "Description:";
    std::size_t at = stanza.starts_with(kField) ? 0 : stanza.find("\nDescription:");
    if (at == std::string_view::npos) return {};
    at += stanza[at] == '\n' ? kField.size() + 1 : kField.size();
    const std::size_t end = stanza.find('\n', at);
    std::string_view line = stanza.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    return line;
}

}  // namespace

AptPackageRecorder::AptPackageRecorder(Database& database)
    : insert_(database.prepare(
          "INSERT INTO packages (checksum_type, checksum, name, epoch, version, release, arch, size_package, "
          "sourcerpm, summary, package_group, location_href, format) "
          "VALUES ('sha256', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'apt') "
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
    return insert(std::move(result), package.source, package.section, description_summary(package.stanza), package.stanza);
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
    return insert(std::move(result), source.name, "", "", source.stanza);
}

UpstreamPackage AptPackageRecorder::insert(UpstreamPackage package, std::string_view source, std::string_view section,
                                           std::string_view summary, std::string_view stanza) {
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
        .bind(11, package.location);
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
