// Pool repair: which files are damaged (scope, stat or hash), which upstream
// offer restores a file, replacing a damaged pool file, the refetch of a
// plain sync, repo sync --repair end to end against a local file:// upstream,
// and the pool verify command.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/hash.h"
#include "core/catalogue/catalogue.h"
#include "core/config/config.h"
#include "core/maintenance/db_verify.h"
#include "core/pool/pool.h"
#include "core/snapshots/snapshot_create.h"
#include "core/sync/pool_repair.h"
#include "core/sync/sync.h"
#include "core/sync/sync_history.h"
#include "support/maintenance_fixture.h"

namespace fs = std::filesystem;
using chantal::test_support::MaintenanceFixture;
using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

void flip_first_byte(const fs::path& path) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    char byte = 0;
    file.read(&byte, 1);
    byte ^= 0x20;
    file.seekp(0);
    file.write(&byte, 1);
}

std::vector<std::string> filenames(const std::vector<chantal::BadContent>& files) {
    std::vector<std::string> names;
    for (const auto& file : files) names.push_back(file.filename + " " + chantal::content_problem_name(file.problem));
    std::sort(names.begin(), names.end());
    return names;
}

chantal::RepairTarget target(const std::string& sha256, const std::string& filename, std::uint64_t size,
                             const std::string& kind, std::vector<chantal::ExpectedChecksum> pkgids = {}) {
    return {{{sha256, filename, size}, 1}, kind, std::move(pkgids)};
}

chantal::UpstreamOffer offer(const std::string& url, chantal::HashAlgorithm algorithm, const std::string& hex,
                             std::uint64_t size, const std::string& name) {
    return {url, std::nullopt, {algorithm, hex}, size, name};
}

}  // namespace

// ------------------------------------------------------------ which offer restores a file

TEST(PoolRepairOffers, MatchBySha256ThenPkgidThenNameAndSize) {
    using chantal::HashAlgorithm;
    const std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
    const std::string sha1(40, '1');
    chantal::UpstreamOffers offers;
    offers.add(offer("u/a.rpm", HashAlgorithm::sha256, a, 10, "a.rpm"));
    offers.add(offer("u/b.rpm", HashAlgorithm::sha1, sha1, 20, "b.rpm"));
    offers.add(offer("u/filelists.xml.gz", HashAlgorithm::sha512, std::string(128, 'f'), 30, "filelists.xml.gz"));
    offers.add({"", std::string("<repomd/>"), {HashAlgorithm::sha256, chantal::sha256_hex("<repomd/>")}, 9, "repomd.xml"});
    ASSERT_EQ(offers.size(), 4u);

    // The file's own sha256, whatever its kind.
    const auto* found = offers.find(target(a, "a.rpm", 10, "package"));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->url, "u/a.rpm");
    // A package through a pkgid the catalogue links to the file (sha1 repo).
    found = offers.find(target(b, "b.rpm", 20, "package", {{HashAlgorithm::sha1, sha1}}));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->url, "u/b.rpm");
    // A package is never matched by name and size alone.
    EXPECT_EQ(offers.find(target(b, "b.rpm", 20, "package")), nullptr);
    // Metadata with a non-sha256 checksum: same name and size (checked after the download).
    found = offers.find(target(c, "filelists.xml.gz", 30, "metadata"));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->url, "u/filelists.xml.gz");
    EXPECT_EQ(offers.find(target(c, "filelists.xml.gz", 31, "metadata")), nullptr);
    EXPECT_EQ(offers.find(target(c, "other.xml.gz", 30, "metadata")), nullptr);
    // Bytes held in memory (repomd.xml).
    found = offers.find(target(chantal::sha256_hex("<repomd/>"), "repomd.xml", 9, "metadata"));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->bytes, "<repomd/>");
    // Upstream no longer has it.
    EXPECT_EQ(offers.find(target(std::string(64, 'd'), "d.rpm", 10, "package")), nullptr);
}

// ------------------------------------------------------------ which files are damaged

TEST(PoolRepairScope, LatestByStatFindsMissingAndWrongSizeOnly) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto repo = fixture.db().query_int64("SELECT id FROM repositories WHERE repo_id = 'base'");
    EXPECT_TRUE(chantal::damaged_pool_files(fixture.db(), fixture.pool(), repo, chantal::RepairScope::latest, false).empty());
    fs::remove(fixture.path_of(fixture.zsh_content()));
    flip_first_byte(fixture.path_of(fixture.bash_content()));

    auto damaged = chantal::damaged_pool_files(fixture.db(), fixture.pool(), repo, chantal::RepairScope::latest, false);
    EXPECT_EQ(filenames(damaged), std::vector<std::string>{"zsh-1.0-1.x86_64.rpm missing"});
    ASSERT_EQ(damaged.size(), 1u);
    EXPECT_EQ(damaged[0].id, fixture.zsh_content());
    ASSERT_FALSE(damaged[0].holders.empty());
    EXPECT_EQ(chantal::tree_path_of(damaged[0].holders[0]), "repos/base/latest/Packages/zsh-1.0-1.x86_64.rpm");

    damaged = chantal::damaged_pool_files(fixture.db(), fixture.pool(), repo, chantal::RepairScope::latest, true);
    EXPECT_EQ(filenames(damaged),
              (std::vector<std::string>{"bash-1.0-1.x86_64.rpm bad checksum", "zsh-1.0-1.x86_64.rpm missing"}));
}

TEST(PoolRepairScope, SnapshotsAddTheFilesOnlyASnapshotHolds) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto repo = fixture.db().query_int64("SELECT id FROM repositories WHERE repo_id = 'base'");
    const auto snapshot = fixture.db().query_int64("SELECT id FROM snapshots WHERE name = 's1'");
    const auto old = fixture.add_content("old rpm bytes", "old-0.9-1.x86_64.rpm");
    const auto old_package = fixture.add_package(old, "old", std::string(64, 'e'));
    fixture.add_snapshot_content(snapshot, "Packages/old-0.9-1.x86_64.rpm", old, old_package);
    // Another repository's files are not this repository's concern.
    const auto other = fixture.add_repo("other");
    const auto stray = fixture.add_content("other repo bytes", "stray-1-1.x86_64.rpm");
    fixture.add_latest(other, "stray.rpm", stray, fixture.add_package(stray, "stray", std::string(64, 'f')));
    fs::remove(fixture.path_of(old));
    fs::remove(fixture.path_of(stray));

    EXPECT_TRUE(chantal::damaged_pool_files(fixture.db(), fixture.pool(), repo, chantal::RepairScope::latest, true).empty());
    const auto damaged = chantal::damaged_pool_files(fixture.db(), fixture.pool(), repo,
                                                     chantal::RepairScope::latest_and_snapshots, true);
    EXPECT_EQ(filenames(damaged), std::vector<std::string>{"old-0.9-1.x86_64.rpm missing"});
    ASSERT_EQ(damaged.size(), 1u);
    ASSERT_EQ(damaged[0].holders.size(), 2u);  // s1, and the view snapshot vs1 that holds s1
    EXPECT_EQ(chantal::tree_path_of(damaged[0].holders[0]), "repos/base/snapshots/s1/Packages/old-0.9-1.x86_64.rpm");
    EXPECT_EQ(chantal::tree_path_of(damaged[0].holders[1]), "views/all/snapshots/vs1/Packages/o/old-0.9-1.x86_64.rpm");
}

TEST(PoolVerify, ReHashesReferencedFilesOnly) {
    MaintenanceFixture fixture;
    fixture.populate();
    const auto orphan = fixture.add_content("orphan", "orphan.rpm");
    flip_first_byte(fixture.path_of(orphan));
    auto report = chantal::verify_referenced_pool_files(fixture.db(), fixture.pool());
    EXPECT_TRUE(report.ok()) << report.summary();
    EXPECT_EQ(report.content_checked, 4u);  // bash, zsh, primary, generated repomd
    EXPECT_TRUE(report.checksums);

    flip_first_byte(fixture.path_of(fixture.zsh_content()));
    report = chantal::verify_referenced_pool_files(fixture.db(), fixture.pool());
    EXPECT_EQ(report.summary(), "1 problem: 1 bad checksum");
    ASSERT_EQ(report.bad_content.size(), 1u);
    EXPECT_EQ(report.bad_content[0].filename, "zsh-1.0-1.x86_64.rpm");
}

// ------------------------------------------------------------ replacing a damaged pool file

TEST(PoolRepairPlace, AddingContentReplacesAFileOfTheWrongSize) {
    TempDir dir;
    chantal::Pool pool(dir / "pool", dir / "tmp");
    const auto first = pool.add_bytes("the right bytes", "x.rpm");
    EXPECT_TRUE(pool.has_file(first.sha256, "x.rpm", first.size));
    EXPECT_FALSE(pool.has_file(first.sha256, "x.rpm", first.size + 1));
    fs::resize_file(first.path, 4);
    EXPECT_FALSE(pool.has_file(first.sha256, "x.rpm", first.size));

    const auto again = pool.add_bytes("the right bytes", "x.rpm");
    EXPECT_FALSE(again.already_present);
    EXPECT_EQ(chantal::read_file(first.path), "the right bytes");

    // The same size: only hashing tells, so adding keeps the file ...
    flip_first_byte(first.path);
    EXPECT_TRUE(pool.add_bytes("the right bytes", "x.rpm").already_present);
    EXPECT_EQ(pool.verify(first.sha256, "x.rpm", first.size), chantal::PoolFileState::wrong_checksum);
    // ... and restoring replaces it.
    chantal::write_file_atomically(dir / "tmp" / "good", "the right bytes");
    const auto restored = pool.restore_verified_file(dir / "tmp" / "good", first.sha256, "x.rpm");
    EXPECT_EQ(restored.path, first.path);
    EXPECT_EQ(pool.verify(first.sha256, "x.rpm", first.size), chantal::PoolFileState::ok);
    EXPECT_FALSE(fs::exists(dir / "tmp" / "good"));
}

// ------------------------------------------------------------ sync and repair against a local upstream

namespace {

class NullObserver : public chantal::SyncObserver {};

// A repository "main" whose upstream is a directory (file://) with plain
// primary.xml and repomd.xml written here, and a catalogue and pool of its own.
class LocalUpstream {
public:
    LocalUpstream() {
        write_text(dir_ / "config.yaml", "storage:\n  base_path: " + (dir_ / "data").string() +
                                             "\nrepositories:\n  - id: main\n    feed: file://" +
                                             (dir_ / "upstream").string() + "\n");
        config_ = chantal::load_config(dir_ / "config.yaml");
        fs::create_directories(config_.database_path.parent_path());
        catalogue_.emplace(chantal::Catalogue::open(config_.database_path, chantal::Catalogue::Mode::create));
        pool_.emplace(config_.storage.pool_path, config_.storage.temp_path);
    }

    // Upstream now offers these packages (name-1.0-1.noarch.rpm each).
    void publish(const std::vector<std::string>& names) {
        const fs::path root = dir_ / "upstream";
        fs::remove_all(root);
        std::string primary = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
                              "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"" +
                              std::to_string(names.size()) + "\">\n";
        for (const auto& name : names) {
            const std::string bytes = "package " + name + " bytes, " + std::string(100, name[0]);
            write_text(root / "Packages" / file_name(name), bytes);
            primary += "<package type=\"rpm\"><name>" + name +
                       "</name><arch>noarch</arch><version epoch=\"0\" ver=\"1.0\" rel=\"1\"/>"
                       "<checksum type=\"sha256\" pkgid=\"YES\">" + chantal::sha256_hex(bytes) +
                       "</checksum><summary>" + name + "</summary><size package=\"" + std::to_string(bytes.size()) +
                       "\" installed=\"1\" archive=\"1\"/><location href=\"Packages/" + file_name(name) +
                       "\"/></package>\n";
        }
        primary += "</metadata>\n";
        const std::string primary_sha = chantal::sha256_hex(primary);
        write_text(root / "repodata" / (primary_sha + "-primary.xml"), primary);
        write_text(root / "repodata/repomd.xml",
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><revision>" + std::to_string(++revision_) +
                       "</revision><data type=\"primary\"><checksum type=\"sha256\">" + primary_sha +
                       "</checksum><location href=\"repodata/" + primary_sha + "-primary.xml\"/><size>" +
                       std::to_string(primary.size()) + "</size></data></repomd>\n");
    }

    static std::string file_name(const std::string& name) { return name + "-1.0-1.noarch.rpm"; }

    chantal::SyncReport sync() {
        NullObserver observer;
        return chantal::sync_repository(config_, config_.repository("main"), db(), *pool_, {}, observer);
    }
    chantal::RepairReport repair() {
        NullObserver observer;
        return chantal::repair_repository(config_, config_.repository("main"), db(), *pool_, {}, observer);
    }

    chantal::Database& db() { return catalogue_->database(); }
    const chantal::Pool& pool() const { return *pool_; }
    // The pool file that latest (or a snapshot) shows at `tree_path`.
    fs::path pool_file(const std::string& tree_path) {
        auto query = db().prepare(
            "SELECT sha256, filename FROM content_items WHERE id = (SELECT content_id FROM repository_contents "
            "WHERE path = ?1 UNION SELECT content_id FROM snapshot_contents WHERE path = ?1 LIMIT 1)");
        query.bind(1, tree_path);
        EXPECT_TRUE(query.step()) << tree_path;
        return pool_->path_for(query.column_text(0), query.column_text(1));
    }
    std::string primary_path() {
        auto query = db().prepare("SELECT path FROM repository_contents WHERE metadata_type = 'primary'");
        EXPECT_TRUE(query.step());
        return query.column_text(0);
    }
    std::int64_t latest_changed_at() { return db().query_int64("SELECT latest_changed_at FROM repositories"); }
    std::string latest_rows() {
        std::string rows;
        auto query = db().prepare("SELECT path, content_id FROM repository_contents ORDER BY path");
        while (query.step()) rows += query.column_text(0) + "=" + std::to_string(query.column_int64(1)) + "\n";
        return rows;
    }
    std::string upstream_bytes(const std::string& name) {
        return chantal::read_file(dir_ / "upstream" / "Packages" / file_name(name));
    }

private:
    TempDir dir_;
    chantal::Config config_;
    std::optional<chantal::Catalogue> catalogue_;
    std::optional<chantal::Pool> pool_;
    int revision_ = 0;
};

}  // namespace

TEST(PoolRepairSync, UnchangedUpstreamWithMissingFilesIsNotUpToDate) {
    LocalUpstream upstream;
    upstream.publish({"a", "b"});
    ASSERT_FALSE(upstream.sync().up_to_date);
    EXPECT_TRUE(upstream.sync().up_to_date);
    const auto changed_at = upstream.latest_changed_at();
    const auto rows = upstream.latest_rows();

    // A package and the primary gone: both come back, latest stays.
    fs::remove(upstream.pool_file("Packages/a-1.0-1.noarch.rpm"));
    fs::remove(upstream.pool_file(upstream.primary_path()));
    auto report = upstream.sync();
    EXPECT_FALSE(report.up_to_date);
    EXPECT_EQ(report.files_refetched, 2);
    EXPECT_EQ(report.changes.unchanged, 2);
    EXPECT_TRUE(report.changes.empty());
    EXPECT_EQ(chantal::read_file(upstream.pool_file("Packages/a-1.0-1.noarch.rpm")), upstream.upstream_bytes("a"));
    EXPECT_TRUE(fs::exists(upstream.pool_file(upstream.primary_path())));
    EXPECT_EQ(upstream.latest_changed_at(), changed_at);
    EXPECT_EQ(upstream.latest_rows(), rows);
    const auto history = chantal::sync_history(upstream.db(), 1, 1);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].status, "success");
    EXPECT_EQ(history[0].message, "re-fetched 2 pool file(s) of latest that were missing or had the wrong size");

    // A truncated package (wrong size) is replaced by the verified download.
    fs::resize_file(upstream.pool_file("Packages/b-1.0-1.noarch.rpm"), 10);
    report = upstream.sync();
    EXPECT_EQ(report.files_refetched, 1);
    EXPECT_EQ(chantal::read_file(upstream.pool_file("Packages/b-1.0-1.noarch.rpm")), upstream.upstream_bytes("b"));
    EXPECT_TRUE(upstream.sync().up_to_date);

    // Same-size damage is not seen by a stat: still up to date (repair's job).
    flip_first_byte(upstream.pool_file("Packages/b-1.0-1.noarch.rpm"));
    EXPECT_TRUE(upstream.sync().up_to_date);
}

TEST(PoolRepairSync, RepairRestoresLatestAndSnapshotFilesAndNamesWhatUpstreamLacks) {
    LocalUpstream upstream;
    upstream.publish({"a", "b", "c"});
    upstream.sync();
    chantal::create_repository_snapshot(upstream.db(), "main", "s1", "");
    const std::string old_primary = upstream.primary_path();
    upstream.publish({"a", "b"});  // c dropped; a new primary and repomd.xml
    upstream.sync();
    const auto changed_at = upstream.latest_changed_at();
    const auto rows = upstream.latest_rows();
    EXPECT_EQ(upstream.repair().files.size(), 0u);

    flip_first_byte(upstream.pool_file("Packages/a-1.0-1.noarch.rpm"));  // latest and s1
    fs::remove(upstream.pool_file("Packages/b-1.0-1.noarch.rpm"));       // latest and s1
    flip_first_byte(upstream.pool_file("Packages/c-1.0-1.noarch.rpm"));  // s1 only; upstream dropped it
    flip_first_byte(upstream.pool_file(upstream.primary_path()));        // latest's primary
    fs::remove(upstream.pool_file(old_primary));                         // s1's primary: upstream moved on

    const auto report = upstream.repair();
    EXPECT_EQ(report.files_checked, 7u);  // a, b, c, two primaries, two repomd.xml
    EXPECT_FALSE(report.ok());
    std::map<std::string, std::string> outcome;
    for (const auto& file : report.files) {
        // Named by the last tree that holds the file for good (files the
        // sync retired from latest are held there for the grace period too).
        const auto& holders = file.file.holders;
        const auto held = std::find_if(holders.rbegin(), holders.rend(), [](const chantal::ContentHolder& holder) {
            return holder.kind != chantal::ContentHolder::Kind::retired;
        });
        ASSERT_NE(held, holders.rend());
        outcome[chantal::tree_path_of(*held)] = file.repaired ? "repaired" : file.reason;
    }
    EXPECT_EQ(outcome, (std::map<std::string, std::string>{
                           {"repos/main/snapshots/s1/Packages/a-1.0-1.noarch.rpm", "repaired"},
                           {"repos/main/snapshots/s1/Packages/b-1.0-1.noarch.rpm", "repaired"},
                           {"repos/main/snapshots/s1/Packages/c-1.0-1.noarch.rpm", "upstream no longer has it"},
                           {"repos/main/latest/" + upstream.primary_path(), "repaired"},
                           {"repos/main/snapshots/s1/" + old_primary, "upstream no longer has it"},
                       }));
    EXPECT_EQ(report.repaired(), 3u);
    EXPECT_EQ(report.unrepaired(), 2u);
    EXPECT_EQ(report.files_downloaded, 3);
    EXPECT_EQ(chantal::read_file(upstream.pool_file("Packages/a-1.0-1.noarch.rpm")), upstream.upstream_bytes("a"));
    EXPECT_EQ(chantal::read_file(upstream.pool_file("Packages/b-1.0-1.noarch.rpm")), upstream.upstream_bytes("b"));
    EXPECT_EQ(upstream.latest_changed_at(), changed_at);
    EXPECT_EQ(upstream.latest_rows(), rows);

    // Only what upstream lacks is still bad.
    const auto again = upstream.repair();
    EXPECT_EQ(again.files.size(), 2u);
    EXPECT_EQ(again.repaired(), 0u);
    EXPECT_EQ(again.files_downloaded, 0);
}

// ------------------------------------------------------------ chantal pool verify

TEST(PoolCommand, VerifyListsBadFilesByTreePath) {
    MaintenanceFixture fixture;
    fixture.populate();
    std::string output;
    ASSERT_EQ(run_command(fixture.chantal("pool verify"), &output), 0) << output;
    EXPECT_NE(output.find("checked 4 referenced pool files"), std::string::npos) << output;
    EXPECT_NE(output.find("no problems"), std::string::npos) << output;

    const auto bash = fixture.path_of(fixture.bash_content());
    flip_first_byte(bash);
    fs::remove(fixture.path_of(fixture.zsh_content()));
    EXPECT_EQ(run_command(fixture.chantal("pool verify"), &output), 1) << output;
    EXPECT_NE(output.find("bad checksum: repos/base/latest/Packages/bash-1.0-1.x86_64.rpm\n"
                          "  also repos/base/snapshots/s1/Packages/bash-1.0-1.x86_64.rpm\n"
                          "  also views/all/latest/Packages/b/bash-1.0-1.x86_64.rpm\n"
                          "  also views/all/snapshots/vs1/Packages/b/bash-1.0-1.x86_64.rpm\n"
                          "  pool file " + bash.string() + "\n"),
              std::string::npos)
        << output;
    EXPECT_NE(output.find("missing: repos/base/latest/Packages/zsh-1.0-1.x86_64.rpm"), std::string::npos) << output;
    EXPECT_NE(output.find("2 problems: 1 bad checksum, 1 missing"), std::string::npos) << output;
    EXPECT_NE(output.find("error: pool "), std::string::npos) << output;

    const auto json_file = fixture.dir() / "verify.json";
    ASSERT_EQ(run_command("{ " + fixture.chantal("--format json pool verify >" + json_file.string()) + "; }", &output), 1)
        << output;
    EXPECT_NE(output.find("error: pool "), std::string::npos) << output;
    const auto json = nlohmann::json::parse(chantal::read_file(json_file));
    EXPECT_FALSE(json["ok"]);
    EXPECT_EQ(json["files_checked"], 4);
    ASSERT_EQ(json["bad_content"].size(), 2u);
    nlohmann::json bash_json;
    for (const auto& item : json["bad_content"])
        if (item["filename"] == "bash-1.0-1.x86_64.rpm") bash_json = item;
    EXPECT_EQ(bash_json["problem"], "bad checksum");
    EXPECT_EQ(bash_json["tree_paths"][1], "repos/base/snapshots/s1/Packages/bash-1.0-1.x86_64.rpm");
    EXPECT_EQ(bash_json["path"], bash.string());
}

TEST(PoolCommand, RepairUsageErrors) {
    MaintenanceFixture fixture;
    fixture.populate();
    std::string output;
    EXPECT_EQ(run_command(fixture.chantal("repo sync --repair"), &output), 2) << output;
    EXPECT_EQ(run_command(fixture.chantal("repo sync --repair --repo-id base --all"), &output), 2) << output;
}
