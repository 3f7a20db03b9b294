#include "core/sync/rpm/errata_load.h"

#include <fcntl.h>

#include <cerrno>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/base/unique_fd.h"
#include "metadata/rpm/updateinfo.h"

namespace chantal {

std::uint64_t load_updateinfo(Database& database, std::int64_t updateinfo_content_id, const MetadataFileToLoad& file) {
    Statement loaded = database.prepare("SELECT 1 FROM updateinfo_advisories WHERE content_id = ?1 LIMIT 1");
    loaded.bind(1, updateinfo_content_id);
    if (loaded.step()) return 0;

    Statement insert_advisory = database.prepare(
        "INSERT INTO advisories (advisory_id, xml_sha256, type, severity, status, issued, updated, title, summary, "
        "description, update_xml) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (advisory_id, xml_sha256) DO NOTHING");
    Statement find_advisory = database.prepare("SELECT id FROM advisories WHERE advisory_id = ?1 AND xml_sha256 = ?2");
    Statement insert_reference = database.prepare(
        "INSERT INTO advisory_references (advisory_row, type, reference_id, href, title) VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement insert_package = database.prepare(
        "INSERT INTO advisory_packages (advisory_row, name, epoch, version, release, arch, filename) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    Statement link = database.prepare(
        "INSERT INTO updateinfo_advisories (content_id, advisory_row) VALUES (?1, ?2) ON CONFLICT DO NOTHING");

    UniqueFd fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + file.path.string() + " (" + file.name + ")", errno);
    metadata::FdSource source(fd.get(), file.name);
    metadata::DecompressingReader input(source, decompression_limit(file.open_size));
    return metadata::read_updateinfo(input, [&](metadata::Advisory& advisory) {
        const std::string xml_sha256 = sha256_hex(advisory.xml);
        insert_advisory.bind(1, advisory.id)
            .bind(2, xml_sha256)
            .bind(3, advisory.type)
            .bind(4, advisory.severity)
            .bind(5, advisory.status)
            .bind(6, advisory.issued)
            .bind(7, advisory.updated)
            .bind(8, advisory.title)
            .bind(9, advisory.summary)
            .bind(10, advisory.description)
            .bind_blob(11, advisory.xml)
            .run();
        const bool inserted = database.changes() > 0;
        find_advisory.bind(1, advisory.id).bind(2, xml_sha256);
        find_advisory.step();
        const std::int64_t row = find_advisory.column_int64(0);
        find_advisory.reset();
        if (inserted) {
            for (const auto& reference : advisory.references)
                insert_reference.bind(1, row)
                    .bind(2, reference.is_cve() ? std::string("cve") : reference.type)
                    .bind(3, reference.id)
                    .bind(4, reference.href)
                    .bind(5, reference.title)
                    .run();
            for (const auto& collection : advisory.collections)
                for (const auto& package : collection.packages)
                    insert_package.bind(1, row)
                        .bind(2, package.name)
                        .bind(3, package.epoch)
                        .bind(4, package.version)
                        .bind(5, package.release)
                        .bind(6, package.arch)
                        .bind(7, package.filename)
                        .run();
        }
        link.bind(1, updateinfo_content_id).bind(2, row).run();
    });
}

}  // namespace chantal
