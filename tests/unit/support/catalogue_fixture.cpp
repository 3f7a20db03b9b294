#include "support/catalogue_fixture.h"

#include "core/base/hash.h"

namespace chantal::test_support {
namespace {

std::int64_t add_content(Database& database, const std::string& sha256, const std::string& filename, std::int64_t size,
                         const char* kind) {
    Statement insert = database.prepare(
        "INSERT INTO content_items (sha256, filename, size, kind, added_at) VALUES (?1, ?2, ?3, ?4, 1700000000) "
        "ON CONFLICT (sha256) DO NOTHING");
    insert.bind(1, sha256).bind(2, filename).bind(3, size).bind(4, kind).run();
    Statement find = database.prepare("SELECT id FROM content_items WHERE sha256 = ?1");
    find.bind(1, sha256).step();
    return find.column_int64(0);
}

}  // namespace

std::string FakePackage::filename() const { return name + "-" + version + "-" + release + "." + arch + ".rpm"; }

std::string FakePackage::sha256() const {
    return sha256_hex(name + "|" + std::to_string(epoch) + "|" + version + "|" + release + "|" + arch + "|" + build);
}

CatalogueFixture::CatalogueFixture(const std::filesystem::path& file)
    : catalogue_(Catalogue::open(file, Catalogue::Mode::create)) {}

std::int64_t CatalogueFixture::add_repository(const std::string& repo_id, const std::string& mode) {
    Statement insert = database().prepare(
        "INSERT INTO repositories (repo_id, name, feed, mode, created_at) VALUES (?1, ?1, 'http://127.0.0.1:9/' || ?1, ?2, "
        "1700000000) ON CONFLICT (repo_id) DO NOTHING");
    insert.bind(1, repo_id).bind(2, mode).run();
    Statement find = database().prepare("SELECT id FROM repositories WHERE repo_id = ?1");
    find.bind(1, repo_id).step();
    return find.column_int64(0);
}

std::int64_t CatalogueFixture::add_package(const FakePackage& package) {
    const std::string sha256 = package.sha256();
    const std::int64_t size = package.size > 0 ? static_cast<std::int64_t>(package.size)
                                               : 1000 + static_cast<std::int64_t>(package.name.size()) * 100;
    const std::int64_t content = add_content(database(), sha256, package.filename(), size, "package");
    Statement insert = database().prepare(
        "INSERT INTO packages (checksum_type, checksum, content_id, name, epoch, version, release, arch, size_package, "
        "summary, license, location_href, time_build, vendor, package_group) VALUES ('sha256', ?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, 'The ' || ?3 || ' package', ?10, 'Packages/' || ?9, ?11, ?12, ?13) "
        "ON CONFLICT (checksum_type, checksum) DO NOTHING");
    insert.bind(1, sha256)
        .bind(2, content)
        .bind(3, package.name)
        .bind(4, static_cast<std::int64_t>(package.epoch))
        .bind(5, package.version)
        .bind(6, package.release)
        .bind(7, package.arch)
        .bind(8, size)
        .bind(9, package.filename())
        .bind(10, package.license)
        .bind(11, package.build_time)
        .bind(12, package.vendor)
        .bind(13, package.group)
        .run();
    Statement find = database().prepare("SELECT id FROM packages WHERE checksum_type = 'sha256' AND checksum = ?1");
    find.bind(1, sha256).step();
    const std::int64_t package_id = find.column_int64(0);
    database()
        .prepare("INSERT INTO package_metadata (package_id, primary_xml) VALUES (?1, '<package/>') "
                 "ON CONFLICT (package_id) DO NOTHING")
        .bind(1, package_id)
        .run();
    return package_id;
}

void CatalogueFixture::set_latest(const std::string& repo_id, const std::vector<FakePackage>& packages) {
    const std::int64_t repository = add_repository(repo_id);
    Transaction transaction(database());
    Statement clear = database().prepare("DELETE FROM repository_contents WHERE repository_id = ?1");
    clear.bind(1, repository).run();
    Statement insert = database().prepare(
        "INSERT INTO repository_contents (repository_id, path, content_id, package_id, role, metadata_type) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    std::string state;
    for (const auto& package : packages) {
        const std::int64_t package_row = add_package(package);
        Statement content = database().prepare("SELECT content_id FROM packages WHERE id = ?1");
        content.bind(1, package_row).step();
        insert.bind(1, repository)
            .bind(2, "Packages/" + package.filename())
            .bind(3, content.column_int64(0))
            .bind(4, package_row)
            .bind(5, "package")
            .bind_null(6)
            .run();
        state += package.sha256();
    }
    const std::string primary = sha256_hex("primary|" + repo_id + "|" + state);
    const std::string repomd = sha256_hex("repomd|" + repo_id + "|" + state);
    insert.bind(1, repository)
        .bind(2, "repodata/" + primary + "-primary.xml.gz")
        .bind(3, add_content(database(), primary, primary + "-primary.xml.gz", 500, "metadata"))
        .bind_null(4)
        .bind(5, "metadata")
        .bind(6, "primary")
        .run();
    insert.bind(1, repository)
        .bind(2, "repodata/repomd.xml")
        .bind(3, add_content(database(), repomd, "repomd.xml", 300, "metadata"))
        .bind_null(4)
        .bind(5, "metadata")
        .bind(6, "repomd")
        .run();
    Statement synced = database().prepare(
        "UPDATE repositories SET last_sync_at = 1700000100, latest_changed_at = 1700000100, last_repomd_sha256 = ?2 "
        "WHERE id = ?1");
    synced.bind(1, repository).bind(2, repomd).run();
    transaction.commit();
}

}  // namespace chantal::test_support
