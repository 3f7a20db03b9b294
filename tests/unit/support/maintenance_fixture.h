// A catalogue + pool with realistic rows inserted directly with SQL, for the
// db/pool maintenance tests (the sync and snapshot modules are not needed).
#pragma once

#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <string>

#include "core/base/file_util.h"
#include "core/catalogue/catalogue.h"
#include "core/pool/pool.h"
#include "support/temp_dir.h"

namespace chantal::test_support {

class MaintenanceFixture {
public:
    MaintenanceFixture()
        : config_path_(dir_ / "config.yaml"),
          database_path_((std::filesystem::create_directories(dir_ / "data"), dir_ / "data/chantal.db")),
          catalogue_(Catalogue::open(database_path_, Catalogue::Mode::create)),
          pool_(dir_ / "data/pool", dir_ / "data/tmp") {
        write_text(config_path_, "storage:\n  base_path: data\n"
                                 "repositories:\n  - id: base\n    feed: http://127.0.0.1:9/base\n");
    }

    Database& db() { return catalogue_.database(); }
    const Pool& pool() const { return pool_; }
    const TempDir& dir() const { return dir_; }
    const std::filesystem::path& config() const { return config_path_; }
    const std::filesystem::path& database_path() const { return database_path_; }

    std::string chantal(const std::string& arguments) const {
        return std::string(CHANTAL_BINARY) + " --config " + config_path_.string() + " " + arguments;
    }

    std::int64_t add_repo(const std::string& repo_id) {
        db().prepare("INSERT INTO repositories (repo_id, name, feed, mode, created_at) VALUES (?1, ?1, ?2, 'mirror', 1000)")
            .bind(1, repo_id)
            .bind(2, "http://mirror.example/" + repo_id)
            .run();
        return db().last_insert_rowid();
    }

    // Puts bytes into the pool and catalogues them; added_at 1000 (old).
    std::int64_t add_content(const std::string& bytes, const std::string& filename, const std::string& kind = "package",
                             std::int64_t added_at = 1000) {
        const PoolEntry entry = pool_.add_bytes(bytes, filename);
        db().prepare("INSERT INTO content_items (sha256, filename, size, kind, added_at) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, entry.sha256)
            .bind(2, entry.filename)
            .bind(3, static_cast<std::int64_t>(entry.size))
            .bind(4, kind)
            .bind(5, added_at)
            .run();
        return db().last_insert_rowid();
    }

    std::string sha256_of(std::int64_t content_id) {
        auto statement = db().prepare("SELECT sha256 FROM content_items WHERE id = ?1");
        statement.bind(1, content_id);
        statement.step();
        return statement.column_text(0);
    }
    std::filesystem::path path_of(std::int64_t content_id) {
        auto statement = db().prepare("SELECT sha256, filename FROM content_items WHERE id = ?1");
        statement.bind(1, content_id);
        statement.step();
        return pool_.path_for(statement.column_text(0), statement.column_text(1));
    }

    std::int64_t add_package(std::optional<std::int64_t> content_id, const std::string& name, const std::string& pkgid) {
        db().prepare("INSERT INTO packages (checksum_type, checksum, content_id, name, version, release, arch, "
                     "location_href) VALUES ('sha256', ?1, ?2, ?3, '1.0', '1', 'x86_64', ?4)")
            .bind(1, pkgid)
            .bind(2, content_id)
            .bind(3, name)
            .bind(4, "Packages/" + name + "-1.0-1.x86_64.rpm")
            .run();
        const std::int64_t package_id = db().last_insert_rowid();
        db().prepare("INSERT INTO package_metadata (package_id, primary_xml, filelists_xml) VALUES (?1, ?2, ?3)")
            .bind(1, package_id)
            .bind_blob(2, "<package type=\"rpm\"><name>" + name + "</name><summary>Caf\xc3\xa9</summary></package>")
            .bind_blob(3, "<package pkgid=\"" + pkgid + "\"><file>/usr/bin/" + name + "</file></package>")
            .run();
        return package_id;
    }

    void add_latest(std::int64_t repository, const std::string& path, std::int64_t content,
                    std::optional<std::int64_t> package) {
        db().prepare("INSERT INTO repository_contents (repository_id, path, content_id, package_id, role, metadata_type) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(1, repository)
            .bind(2, path)
            .bind(3, content)
            .bind(4, package)
            .bind(5, package ? "package" : "metadata")
            .bind(6, package ? std::optional<std::string>() : std::optional<std::string>("primary"))
            .run();
    }

    std::int64_t add_snapshot(std::int64_t repository, const std::string& name) {
        db().prepare("INSERT INTO snapshots (repository_id, name, created_at) VALUES (?1, ?2, 2000)")
            .bind(1, repository)
            .bind(2, name)
            .run();
        return db().last_insert_rowid();
    }

    void add_snapshot_content(std::int64_t snapshot, const std::string& path, std::int64_t content,
                              std::optional<std::int64_t> package) {
        db().prepare("INSERT INTO snapshot_contents (snapshot_id, path, content_id, package_id, role) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, snapshot)
            .bind(2, path)
            .bind(3, content)
            .bind(4, package)
            .bind(5, package ? "package" : "metadata")
            .run();
    }

    std::int64_t add_view(const std::string& name, std::int64_t repository) {
        db().prepare("INSERT INTO views (name, created_at) VALUES (?1, 3000)").bind(1, name).run();
        const auto view = db().last_insert_rowid();
        db().prepare("INSERT INTO view_members (view_id, repository_id, position) VALUES (?1, ?2, 0)")
            .bind(1, view)
            .bind(2, repository)
            .run();
        return view;
    }

    std::int64_t add_view_snapshot(std::int64_t view, const std::string& name, std::int64_t snapshot) {
        db().prepare("INSERT INTO view_snapshots (view_id, name, created_at) VALUES (?1, ?2, 4000)")
            .bind(1, view)
            .bind(2, name)
            .run();
        const auto view_snapshot = db().last_insert_rowid();
        db().prepare("INSERT INTO view_snapshot_members (view_snapshot_id, snapshot_id, position) VALUES (?1, ?2, 0)")
            .bind(1, view_snapshot)
            .bind(2, snapshot)
            .run();
        return view_snapshot;
    }

    // A realistic little catalogue: repo "base" with two packages and a
    // metadata file in latest, snapshot "s1" holding one package, a view
    // "all" with a view snapshot "vs1", a sync history row and a generated
    // metadata record.
    void populate() {
        const auto repo = add_repo("base");
        const auto bash = add_content("bash rpm bytes", "bash-1.0-1.x86_64.rpm");
        const auto zsh = add_content("zsh rpm bytes, a bit longer", "zsh-1.0-1.x86_64.rpm");
        const auto primary = add_content("primary xml", "primary.xml.gz", "metadata");
        const auto generated = add_content("generated repomd", "repomd.xml", "metadata");
        bash_package_ = add_package(bash, "bash", std::string(64, 'a'));
        const auto zsh_package = add_package(zsh, "zsh", std::string(64, 'b'));
        add_package(std::nullopt, "fish", std::string(64, 'c'));
        add_latest(repo, "Packages/bash-1.0-1.x86_64.rpm", bash, bash_package_);
        add_latest(repo, "Packages/zsh-1.0-1.x86_64.rpm", zsh, zsh_package);
        add_latest(repo, "repodata/primary.xml.gz", primary, std::nullopt);
        const auto snapshot = add_snapshot(repo, "s1");
        add_snapshot_content(snapshot, "Packages/bash-1.0-1.x86_64.rpm", bash, bash_package_);
        const auto view = add_view("all", repo);
        add_view_snapshot(view, "vs1", snapshot);
        db().prepare("INSERT INTO sync_history (repository_id, started_at, finished_at, status, message) "
                     "VALUES (?1, 5000, 5010, 'success', 'synced')")
            .bind(1, repo)
            .run();
        db().prepare("INSERT INTO generated_metadata (tree_digest, metadata_type, path, content_id, created_at) "
                     "VALUES ('digest1', 'repomd', 'repodata/repomd.xml', ?1, 6000)")
            .bind(1, generated)
            .run();
        bash_content_ = bash;
        zsh_content_ = zsh;
    }
    std::int64_t bash_content() const { return bash_content_; }
    std::int64_t zsh_content() const { return zsh_content_; }
    std::int64_t bash_package() const { return bash_package_; }

    // Sets a file's mtime (unix seconds).
    static void set_mtime(const std::filesystem::path& path, std::int64_t unix_time) {
        struct utimbuf times {};
        times.actime = static_cast<time_t>(unix_time);
        times.modtime = static_cast<time_t>(unix_time);
        ::utime(path.c_str(), &times);
    }

private:
    TempDir dir_;
    std::filesystem::path config_path_;
    std::filesystem::path database_path_;
    Catalogue catalogue_;
    Pool pool_;
    std::int64_t bash_content_ = 0;
    std::int64_t zsh_content_ = 0;
    std::int64_t bash_package_ = 0;
};

}  // namespace chantal::test_support
