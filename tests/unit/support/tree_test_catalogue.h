// A small catalogue + pool for the tree-model tests: repositories, packages
// with stored XML fragments, latest rows, snapshots and views, inserted
// directly (no sync engine needed). Header-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/catalogue/catalogue.h"
#include "core/pool/pool.h"
#include "support/temp_dir.h"

namespace chantal::tree_test {

class TestCatalogue {
public:
    TestCatalogue()
        : catalogue_(Catalogue::open(dir_ / "chantal.db", Catalogue::Mode::create)),
          pool_(dir_ / "pool", dir_ / "tmp") {}

    Database& db() { return catalogue_.database(); }
    const Pool& pool() const { return pool_; }
    std::filesystem::path db_file() const { return dir_ / "chantal.db"; }
    const std::filesystem::path& root() const { return dir_.path(); }

    std::int64_t add_repo(const std::string& repo_id, bool generated, std::int64_t changed_at = 1700000000) {
        auto s = db().prepare(
            "INSERT INTO repositories (repo_id, name, feed, mode, created_at, latest_changed_at, generated_tree, "
            "last_repomd_sha256) VALUES (?1, ?1, 'http://example/' || ?1, ?2, 1600000000, ?3, ?4, 'up')");
        s.bind(1, repo_id).bind(2, generated ? "filtered" : "mirror").bind(3, changed_at).bind(4, generated ? 1 : 0);
        s.run();
        return db().last_insert_rowid();
    }

    std::int64_t add_content(const std::string& bytes, const std::string& filename, const char* kind = "package") {
        const auto entry = pool_.add_bytes(bytes, filename);
        auto s = db().prepare(
            "INSERT OR IGNORE INTO content_items (sha256, filename, size, kind, added_at) VALUES (?1, ?2, ?3, ?4, 1)");
        s.bind(1, entry.sha256).bind(2, entry.filename).bind(3, entry.size).bind(4, kind);
        s.run();
        return db().query_int64("SELECT id FROM content_items WHERE sha256 = '" + entry.sha256 + "'");
    }

    // A package row with primary/filelists/other fragments; returns (package id, content id).
    std::pair<std::int64_t, std::int64_t> add_package(const std::string& name, const std::string& version,
                                                      const std::string& href) {
        const std::string file = href.substr(href.rfind('/') + 1);
        const auto content = add_content("RPM bytes of " + file, file);
        const std::string pkgid = sha256_of(href + name + version);
        const std::string primary =
            "<package type=\"rpm\">\n  <name>" + name + "</name>\n  <arch>noarch</arch>\n  <version epoch=\"0\" ver=\"" +
            version + "\" rel=\"1\"/>\n  <checksum type=\"sha256\" pkgid=\"YES\">" + pkgid +
            "</checksum>\n  <summary>s</summary>\n  <location href=\"" + href + "\"/>\n</package>\n";
        const std::string filelists = "<package pkgid=\"" + pkgid + "\" name=\"" + name +
                                      "\" arch=\"noarch\">\n  <version epoch=\"0\" ver=\"" + version +
                                      "\" rel=\"1\"/>\n  <file>/usr/bin/" + name + "</file>\n</package>\n";
        auto s = db().prepare(
            "INSERT INTO packages (checksum_type, checksum, content_id, name, version, release, arch, location_href) "
            "VALUES ('sha256', ?1, ?2, ?3, ?4, '1', 'noarch', ?5)");
        s.bind(1, pkgid).bind(2, content).bind(3, name).bind(4, version).bind(5, href);
        s.run();
        const std::int64_t package_id = db().last_insert_rowid();
        auto metadata = db().prepare(
            "INSERT INTO package_metadata (package_id, primary_xml, filelists_xml, other_xml) VALUES (?1, ?2, ?3, NULL)");
        metadata.bind(1, package_id).bind_blob(2, primary).bind_blob(3, filelists);
        metadata.run();
        return {package_id, content};
    }

    void add_latest_package(std::int64_t repo, const std::string& path, std::pair<std::int64_t, std::int64_t> package) {
        auto s = db().prepare(
            "INSERT INTO repository_contents (repository_id, path, content_id, package_id, role) "
            "VALUES (?1, ?2, ?3, ?4, 'package')");
        s.bind(1, repo).bind(2, path).bind(3, package.second).bind(4, package.first);
        s.run();
    }

    void add_latest_metadata(std::int64_t repo, const std::string& path, const std::string& type,
                             const std::string& bytes) {
        const auto content = add_content(bytes, path.substr(path.rfind('/') + 1), "metadata");
        auto s = db().prepare(
            "INSERT INTO repository_contents (repository_id, path, content_id, role, metadata_type) "
            "VALUES (?1, ?2, ?3, 'metadata', ?4)");
        s.bind(1, repo).bind(2, path).bind(3, content).bind(4, type);
        s.run();
    }

    // Copies latest into a snapshot, as `snapshot create` does.
    std::int64_t snapshot(std::int64_t repo, const std::string& name, std::int64_t created_at = 1700000500) {
        auto s = db().prepare(
            "INSERT INTO snapshots (repository_id, name, created_at, generated_tree) "
            "SELECT id, ?2, ?3, generated_tree FROM repositories WHERE id = ?1");
        s.bind(1, repo).bind(2, name).bind(3, created_at);
        s.run();
        const auto id = db().last_insert_rowid();
        auto copy = db().prepare(
            "INSERT INTO snapshot_contents (snapshot_id, path, content_id, package_id, role, metadata_type) "
            "SELECT ?1, path, content_id, package_id, role, metadata_type FROM repository_contents WHERE repository_id = ?2");
        copy.bind(1, id).bind(2, repo);
        copy.run();
        return id;
    }

    std::int64_t add_view(const std::string& name, const std::vector<std::int64_t>& repos) {
        auto s = db().prepare("INSERT INTO views (name, created_at) VALUES (?1, 1650000000)");
        s.bind(1, name);
        s.run();
        const auto id = db().last_insert_rowid();
        int position = 0;
        for (auto repo : repos) {
            auto m = db().prepare("INSERT INTO view_members (view_id, repository_id, position) VALUES (?1, ?2, ?3)");
            m.bind(1, id).bind(2, repo).bind(3, position++);
            m.run();
        }
        return id;
    }

    void add_view_snapshot(std::int64_t view, const std::string& name, const std::vector<std::int64_t>& snapshots) {
        auto s = db().prepare("INSERT INTO view_snapshots (view_id, name, created_at) VALUES (?1, ?2, 1700000900)");
        s.bind(1, view).bind(2, name);
        s.run();
        const auto id = db().last_insert_rowid();
        int position = 0;
        for (auto snapshot : snapshots) {
            auto m = db().prepare(
                "INSERT INTO view_snapshot_members (view_snapshot_id, snapshot_id, position) VALUES (?1, ?2, ?3)");
            m.bind(1, id).bind(2, snapshot).bind(3, position++);
            m.run();
        }
    }

    static std::string sha256_of(const std::string& text);

private:
    test_support::TempDir dir_;
    Catalogue catalogue_;
    Pool pool_;
};

}  // namespace chantal::tree_test

#include "core/base/hash.h"
inline std::string chantal::tree_test::TestCatalogue::sha256_of(const std::string& text) { return sha256_hex(text); }
