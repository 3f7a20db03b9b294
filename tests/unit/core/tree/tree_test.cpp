// Tree model (core/tree/, core/tree/rpm/generated_repodata.h): layout, on-demand
// listing and lookup, views' first-member-wins union, generated repodata that
// is deterministic, stored in the pool and reused through generated_metadata.
#include "core/tree/tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/base/file_util.h"
#include "core/tree/rpm/generated_repodata.h"
#include "core/tree/tree_files.h"
#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/repomd.h"
#include "support/tree_test_catalogue.h"

using namespace chantal;
using tree_test::TestCatalogue;

namespace {

std::vector<std::string> names(const std::optional<std::vector<TreeEntry>>& entries) {
    std::vector<std::string> result;
    for (const auto& entry : entries.value()) result.push_back(entry.name + (entry.directory ? "/" : ""));
    return result;
}

std::string gunzip(const std::string& data) {
    metadata::MemorySource source(data, "test.gz");
    metadata::DecompressingReader reader(source, 1u << 30);
    return reader.read_all();
}

std::map<std::string, PoolFile> walk(TestCatalogue& c, const TreeAddress& ref) {
    std::map<std::string, PoolFile> files;
    for_each_entry(c.db(), c.pool(), ref, nullptr, [&](const std::string& path, const PoolFile& file) { files[path] = file; });
    return files;
}

std::string read_pool(TestCatalogue& c, const PoolFile& file) {
    return read_file(c.pool().path_for(file.sha256, file.filename));
}

// A mirror repo "base" with repodata and two packages, a generated repo "extra".
struct Fixture {
    TestCatalogue c;
    std::int64_t base = c.add_repo("base", false);
    std::int64_t extra = c.add_repo("extra", true, 1700000100);
    Fixture() {
        c.add_latest_metadata(base, "repodata/repomd.xml", "repomd", "<repomd/>");
        c.add_latest_metadata(base, "repodata/repomd.xml.asc", "repomd_signature", "SIG");
        c.add_latest_metadata(base, "repodata/aa-primary.xml.gz", "primary", "P");
        c.add_latest_package(base, "Packages/alpha-1.0-1.noarch.rpm", c.add_package("alpha", "1.0", "Packages/alpha-1.0-1.noarch.rpm"));
        c.add_latest_package(base, "Packages/sub/zeta-1-1.noarch.rpm", c.add_package("zeta", "1", "Packages/sub/zeta-1-1.noarch.rpm"));
        c.add_latest_package(base, "Packages-x/b.rpm", c.add_package("b", "1", "Packages-x/b.rpm"));
        c.add_latest_package(extra, "Packages/a/alpha-2.0-1.noarch.rpm", c.add_package("alpha", "2.0", "x86/alpha-2.0-1.noarch.rpm"));
        c.add_latest_package(extra, "Packages/g/gamma-1-1.noarch.rpm", c.add_package("gamma", "1", "gamma-1-1.noarch.rpm"));
        c.add_latest_metadata(extra, "repodata/up-repomd.xml", "repomd", "<not served/>");
    }
};

}  // namespace

TEST(Tree, LayoutListsReposSnapshotsAndViews) {
    Fixture f;
    f.c.snapshot(f.base, "2024-02");
    f.c.snapshot(f.base, "2024-01");
    f.c.add_view("all", {f.base, f.extra});
    EXPECT_EQ(list_repository_ids(f.c.db()), (std::vector<std::string>{"base", "extra"}));
    EXPECT_EQ(repository_snapshot_names(f.c.db(), "base"), (std::vector<std::string>{"2024-01", "2024-02"}));
    EXPECT_TRUE(repository_snapshot_names(f.c.db(), "extra").empty());
    EXPECT_EQ(list_view_names(f.c.db()), (std::vector<std::string>{"all"}));
    EXPECT_EQ(TreeAddress::view_snapshot("all", "n").path(), "views/all/snapshots/n");
    EXPECT_FALSE(resolve_tree(f.c.db(), TreeAddress::repo_latest("nope")));
    EXPECT_FALSE(resolve_tree(f.c.db(), TreeAddress::repo_snapshot("base", "nope")));
    EXPECT_FALSE(resolve_tree(f.c.db(), TreeAddress::view_latest("nope")));
}

TEST(Tree, NeverSyncedRepoHasNoLatest) {
    TestCatalogue c;
    auto s = c.db().prepare("INSERT INTO repositories (repo_id, name, feed, mode, created_at) VALUES ('new', 'n', 'f', 'mirror', 1)");
    s.run();
    EXPECT_FALSE(resolve_tree(c.db(), TreeAddress::repo_latest("new")));
}

TEST(Tree, MirrorTreeShowsEveryRowAtUpstreamPaths) {
    Fixture f;
    auto state = resolve_tree(f.c.db(), TreeAddress::repo_latest("base"));
    ASSERT_TRUE(state);
    EXPECT_FALSE(state->generated);
    auto contents = open_tree_contents(f.c.db(), *state);
    EXPECT_EQ(names(contents->list(f.c.db(), "")), (std::vector<std::string>{"Packages/", "Packages-x/", "repodata/"}));
    EXPECT_EQ(names(contents->list(f.c.db(), "Packages")),
              (std::vector<std::string>{"alpha-1.0-1.noarch.rpm", "sub/"}));
    EXPECT_EQ(names(contents->list(f.c.db(), "repodata")),
              (std::vector<std::string>{"aa-primary.xml.gz", "repomd.xml", "repomd.xml.asc"}));
    EXPECT_FALSE(contents->list(f.c.db(), "Pack"));
    EXPECT_FALSE(contents->list(f.c.db(), "Packages/alpha-1.0-1.noarch.rpm"));
    auto entry = contents->lookup(f.c.db(), "Packages/sub/zeta-1-1.noarch.rpm");
    ASSERT_TRUE(entry);
    EXPECT_FALSE(entry->directory);
    EXPECT_EQ(entry->name, "zeta-1-1.noarch.rpm");
    EXPECT_EQ(read_pool(f.c, entry->file), "RPM bytes of zeta-1-1.noarch.rpm");
    EXPECT_EQ(entry->file.size, std::string("RPM bytes of zeta-1-1.noarch.rpm").size());
    EXPECT_TRUE(contents->lookup(f.c.db(), "Packages/sub")->directory);
    EXPECT_FALSE(contents->lookup(f.c.db(), "Packages/su"));
    EXPECT_FALSE(contents->lookup(f.c.db(), "nothing"));
    // The whole walk: upstream's repodata byte for byte, signature included, nothing generated.
    auto files = walk(f.c, TreeAddress::repo_latest("base"));
    EXPECT_EQ(files.size(), 6u);
    EXPECT_EQ(read_pool(f.c, files.at("repodata/repomd.xml.asc")), "SIG");
    EXPECT_EQ(f.c.db().query_int64("SELECT count(*) FROM generated_metadata"), 0);
}

TEST(Tree, GeneratedTreeServesPackagesAndGeneratedRepodataOnly) {
    Fixture f;
    auto files = walk(f.c, TreeAddress::repo_latest("extra"));
    std::vector<std::string> paths;
    for (const auto& [path, file] : files) paths.push_back(path.starts_with("repodata/") && path != "repodata/repomd.xml"
                                                                ? "repodata/" + path.substr(path.find('-') + 1)
                                                                : path);
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (std::vector<std::string>{"Packages/a/alpha-2.0-1.noarch.rpm", "Packages/g/gamma-1-1.noarch.rpm",
                                               "repodata/filelists.xml.gz", "repodata/other.xml.gz",
                                               "repodata/primary.xml.gz", "repodata/repomd.xml"}));
    // repomd lists the files by their checksum-prefixed names with the tree's timestamp.
    const auto repomd = metadata::parse_repomd(read_pool(f.c, files.at("repodata/repomd.xml")), "repomd.xml");
    EXPECT_EQ(repomd.revision, "1700000100");
    ASSERT_EQ(repomd.records.size(), 3u);
    for (const auto& record : repomd.records) {
        ASSERT_TRUE(files.count(record.location_href)) << record.location_href;
        const auto& file = files.at(record.location_href);
        EXPECT_EQ(record.checksum.value, file.sha256);
        EXPECT_EQ(record.size.value(), file.size);
        EXPECT_EQ(record.timestamp.value(), 1700000100);
        EXPECT_EQ(record.location_href, "repodata/" + file.sha256 + "-" + record.type + ".xml.gz");
        const auto open = gunzip(read_pool(f.c, file));
        EXPECT_EQ(record.open_size.value(), open.size());
        EXPECT_EQ(record.open_checksum->value, sha256_hex(open));
    }
    // Location rewritten to the tree path; the upstream repomd is not served.
    const auto primary = gunzip(read_pool(f.c, files.at(repomd.find("primary")->location_href)));
    EXPECT_NE(primary.find("<location href=\"Packages/a/alpha-2.0-1.noarch.rpm\"/>"), std::string::npos) << primary;
    EXPECT_EQ(primary.find("x86/"), std::string::npos);
    EXPECT_NE(primary.find("packages=\"2\""), std::string::npos);
    const auto other = gunzip(read_pool(f.c, files.at(repomd.find("other")->location_href)));
    EXPECT_NE(other.find("name=\"gamma\""), std::string::npos) << other;  // synthesised for a missing fragment
    // Listing: Packages and repodata at the root, generated files inside repodata.
    auto state = *resolve_tree(f.c.db(), TreeAddress::repo_latest("extra"));
    auto contents = open_tree_contents(f.c.db(), state);
    const auto repodata = find_generated_repodata(f.c.db(), generated_tree_digest(f.c.db(), *contents));
    ASSERT_TRUE(repodata);
    EXPECT_TRUE(needs_generated_files(state, "repodata/repomd.xml"));
    EXPECT_FALSE(needs_generated_files(state, "Packages"));
    EXPECT_EQ(names(list_tree_directory(f.c.db(), *contents, nullptr, "")),
              (std::vector<std::string>{"Packages/", "repodata/"}));
    EXPECT_EQ(list_tree_directory(f.c.db(), *contents, &*repodata, "repodata")->size(), 4u);
    auto entry = lookup_tree_entry(f.c.db(), *contents, &*repodata, "repodata/repomd.xml");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->file, files.at("repodata/repomd.xml"));
    EXPECT_FALSE(lookup_tree_entry(f.c.db(), *contents, &*repodata, "repodata/up-repomd.xml"));
}

TEST(Tree, GeneratedRepodataIsDeterministicAndReused) {
    Fixture f;
    const auto first = walk(f.c, TreeAddress::repo_latest("extra"));
    const auto records = f.c.db().query_int64("SELECT count(*) FROM generated_metadata");
    EXPECT_EQ(records, 4);
    const auto second = walk(f.c, TreeAddress::repo_latest("extra"));
    EXPECT_EQ(first, second);
    EXPECT_EQ(f.c.db().query_int64("SELECT count(*) FROM generated_metadata"), records);
    // A fresh catalogue with the same inputs produces byte-identical files.
    Fixture g;
    EXPECT_EQ(walk(g.c, TreeAddress::repo_latest("extra")), first);
    // A new timestamp (latest moved) is a new digest: new repomd, same package lists.
    f.c.db().execute("UPDATE repositories SET latest_changed_at = 1700000200 WHERE repo_id = 'extra'");
    const auto moved = walk(f.c, TreeAddress::repo_latest("extra"));
    EXPECT_NE(moved.at("repodata/repomd.xml"), first.at("repodata/repomd.xml"));
    EXPECT_EQ(f.c.db().query_int64("SELECT count(DISTINCT tree_digest) FROM generated_metadata"), 2);
}

TEST(Tree, SnapshotKeepsItsContentsWhenLatestChanges) {
    Fixture f;
    f.c.snapshot(f.base, "s1");
    f.c.db().execute("DELETE FROM repository_contents WHERE path = 'Packages-x/b.rpm'");
    auto latest = walk(f.c, TreeAddress::repo_latest("base"));
    auto snapshot = walk(f.c, TreeAddress::repo_snapshot("base", "s1"));
    EXPECT_EQ(latest.size(), 5u);
    EXPECT_EQ(snapshot.size(), 6u);
    auto state = resolve_tree(f.c.db(), TreeAddress::repo_snapshot("base", "s1"));
    EXPECT_EQ(state->timestamp, 1700000500);
    EXPECT_FALSE(state->generated);
}

TEST(Tree, ViewIsUnionFirstMemberWinsAndIsGenerated) {
    Fixture f;
    // Same file name in both members: the first member (extra) wins.
    f.c.add_latest_package(f.base, "Packages/gamma-1-1.noarch.rpm", f.c.add_package("gamma", "1", "Packages/other/gamma-1-1.noarch.rpm"));
    f.c.add_view("all", {f.extra, f.base});
    auto state = resolve_tree(f.c.db(), TreeAddress::view_latest("all"));
    ASSERT_TRUE(state);
    EXPECT_TRUE(state->generated);
    EXPECT_EQ(state->timestamp, 1700000100);  // the newest member change
    auto contents = open_tree_contents(f.c.db(), *state);
    EXPECT_EQ(names(contents->list(f.c.db(), "Packages")), (std::vector<std::string>{"a/", "b/", "g/", "z/"}));
    EXPECT_EQ(names(contents->list(f.c.db(), "Packages/a")),
              (std::vector<std::string>{"alpha-1.0-1.noarch.rpm", "alpha-2.0-1.noarch.rpm"}));
    auto gamma = contents->lookup(f.c.db(), "Packages/g/gamma-1-1.noarch.rpm");
    ASSERT_TRUE(gamma);
    auto from_extra = open_tree_contents(f.c.db(), *resolve_tree(f.c.db(), TreeAddress::repo_latest("extra")))
                          ->lookup(f.c.db(), "Packages/g/gamma-1-1.noarch.rpm");
    EXPECT_EQ(gamma->file, from_extra->file);
    EXPECT_TRUE(contents->lookup(f.c.db(), "Packages/z")->directory);
    EXPECT_FALSE(contents->lookup(f.c.db(), "Packages/q"));
    auto files = walk(f.c, TreeAddress::view_latest("all"));
    EXPECT_EQ(files.size(), 5u + 4u);
    EXPECT_FALSE(files.count("repodata/repomd.xml.asc"));  // never an upstream signature
    const auto repomd = metadata::parse_repomd(read_pool(f.c, files.at("repodata/repomd.xml")), "repomd.xml");
    const auto primary = gunzip(read_pool(f.c, files.at(repomd.find("primary")->location_href)));
    EXPECT_NE(primary.find("packages=\"5\""), std::string::npos);
    EXPECT_NE(primary.find("href=\"Packages/z/zeta-1-1.noarch.rpm\""), std::string::npos);
}

TEST(Tree, ViewSnapshotUsesMemberSnapshots) {
    Fixture f;
    const auto s1 = f.c.snapshot(f.base, "b1");
    const auto s2 = f.c.snapshot(f.extra, "e1");
    const auto view = f.c.add_view("all", {f.base, f.extra});
    f.c.add_view_snapshot(view, "v1", {s1, s2});
    f.c.db().execute("DELETE FROM repository_contents");
    EXPECT_EQ(view_snapshot_names(f.c.db(), "all"), (std::vector<std::string>{"v1"}));
    auto files = walk(f.c, TreeAddress::view_snapshot("all", "v1"));
    EXPECT_EQ(files.size(), 5u + 4u);
    EXPECT_TRUE(walk(f.c, TreeAddress::view_latest("all")).count("repodata/repomd.xml"));
}

TEST(Tree, GeneratedTreePassesCompsAndModulesThrough) {
    Fixture f;
    const std::string comps = "<comps><group><id>core</id></group></comps>";
    const std::string upstream_repomd =
        "<?xml version=\"1.0\"?><repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"group\">"
        "<checksum type=\"sha256\">" + sha256_hex(comps) + "</checksum><location href=\"repodata/" + sha256_hex(comps) +
        "-comps.xml\"/></data></repomd>";
    f.c.db().execute("DELETE FROM repository_contents WHERE path = 'repodata/up-repomd.xml'");
    f.c.add_latest_metadata(f.extra, "repodata/repomd.xml", "repomd", upstream_repomd);
    f.c.add_latest_metadata(f.extra, "repodata/" + sha256_hex(comps) + "-comps.xml", "group", comps);
    auto files = walk(f.c, TreeAddress::repo_latest("extra"));
    const auto path = "repodata/" + sha256_hex(comps) + "-comps.xml";
    ASSERT_TRUE(files.count(path));
    EXPECT_EQ(read_pool(f.c, files.at(path)), comps);
    const auto repomd = metadata::parse_repomd(read_pool(f.c, files.at("repodata/repomd.xml")), "repomd.xml");
    ASSERT_TRUE(repomd.find("group"));
    EXPECT_EQ(repomd.find("group")->location_href, path);
}

TEST(Tree, ViewMergesMemberCompsAndNeverHidesADiskError) {
    Fixture f;
    const std::string base_comps = "<comps><group><id>core</id></group></comps>";
    const std::string extra_comps = "<comps><group><id>web</id></group></comps>";
    f.c.add_latest_metadata(f.base, "repodata/base-comps.xml", "group", base_comps);
    f.c.add_latest_metadata(f.extra, "repodata/extra-comps.xml", "group", extra_comps);
    f.c.add_view("all", {f.base, f.extra});
    auto files = walk(f.c, TreeAddress::view_latest("all"));
    auto repomd = metadata::parse_repomd(read_pool(f.c, files.at("repodata/repomd.xml")), "repomd.xml");
    ASSERT_TRUE(repomd.find("group"));
    const std::string merged = read_pool(f.c, files.at(repomd.find("group")->location_href));
    EXPECT_NE(merged.find("<id>core</id>"), std::string::npos) << merged;
    EXPECT_NE(merged.find("<id>web</id>"), std::string::npos) << merged;

}

TEST(Tree, ViewMergeNeverTurnsAMissingMemberCompsIntoAbsent) {
    // A member's comps file gone from the pool: generating the view's
    // repodata fails (EIO at the mount) instead of quietly leaving the
    // member's groups out, which would then be kept under the tree digest.
    Fixture f;
    f.c.add_latest_metadata(f.base, "repodata/base-comps.xml", "group", "<comps><group><id>core</id></group></comps>");
    f.c.add_latest_metadata(f.extra, "repodata/extra-comps.xml", "group", "<comps><group><id>web</id></group></comps>");
    f.c.add_view("all", {f.base, f.extra});
    Statement extra_file(f.c.db(), "SELECT c.sha256, c.filename FROM repository_contents t "
                                   "JOIN content_items c ON c.id = t.content_id WHERE t.path = 'repodata/extra-comps.xml'");
    ASSERT_TRUE(extra_file.step());
    std::filesystem::remove(f.c.pool().path_for(extra_file.column_text(0), extra_file.column_text(1)));
    try {
        walk(f.c, TreeAddress::view_latest("all"));
        FAIL() << "a missing member comps file went unnoticed";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::io) << error.what();
    }
}

TEST(Tree, ViewWithARefusedMemberCompsPassesTheFirstThrough) {
    Fixture f;
    const std::string base_comps = "<comps><group><id>core</id></group></comps>";
    const std::string doctype_comps = "<!DOCTYPE comps [<!ENTITY x \"y\">]><comps><group><id>web</id></group></comps>";
    f.c.add_latest_metadata(f.base, "repodata/base-comps.xml", "group", base_comps);
    f.c.add_latest_metadata(f.extra, "repodata/extra-comps.xml", "group", doctype_comps);
    f.c.add_view("all", {f.base, f.extra});
    auto files = walk(f.c, TreeAddress::view_latest("all"));
    auto repomd = metadata::parse_repomd(read_pool(f.c, files.at("repodata/repomd.xml")), "repomd.xml");
    ASSERT_TRUE(repomd.find("group"));
    EXPECT_EQ(read_pool(f.c, files.at(repomd.find("group")->location_href)), base_comps);
}

namespace {

// list_tree_names of `dir`, sorted, directories with a trailing '/' (as names()).
// Checks the content identities on the way: a file of a latest tree carries
// its entry's content row, or its sha256 when it has none (generated index
// files); a directory neither.
std::optional<std::vector<std::string>> listed_names(TestCatalogue& c, const TreeContents& contents,
                                                     const GeneratedFiles* repodata, std::string_view dir) {
    std::vector<std::string> result;
    const bool latest = contents.state().sources.at(0).table == TreeSource::Table::repository_contents;
    if (!list_tree_names(c.db(), contents, repodata, dir, [&](std::string_view name, bool directory,
                                                             std::int64_t content_id, std::string_view content_sha256) {
            const std::string path = dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
            if (directory) {
                EXPECT_TRUE(content_id == 0 && content_sha256.empty()) << path;
            } else if (latest) {
                const auto entry = lookup_tree_entry(c.db(), contents, repodata, path);
                ASSERT_TRUE(entry) << path;
                EXPECT_EQ(entry->content_id, content_id) << path;
                if (content_id == 0) EXPECT_EQ(entry->file.sha256, content_sha256) << path;
                else EXPECT_TRUE(content_sha256.empty()) << path;
            }
            result.push_back(std::string(name) + (directory ? "/" : ""));
        }))
        return std::nullopt;
    std::sort(result.begin(), result.end());
    return result;
}

std::vector<std::string> sorted(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST(Tree, NamesOnlyListingsHaveTheListingsNames) {
    Fixture f;
    f.c.snapshot(f.base, "s1");
    f.c.add_view("all", {f.extra, f.base});
    for (const auto& ref : {TreeAddress::repo_latest("base"), TreeAddress::repo_snapshot("base", "s1"),
                            TreeAddress::repo_latest("extra"), TreeAddress::view_latest("all")}) {
        const auto contents = open_tree_contents(f.c.db(), *resolve_tree(f.c.db(), ref));
        std::optional<GeneratedFiles> repodata;
        if (contents->state().generated) repodata = ensure_generated_repodata(f.c.db(), f.c.pool(), *contents);
        const auto* overlay = repodata ? &*repodata : nullptr;
        for (const auto* dir : {"", "Packages", "Packages/a", "Packages/sub", "repodata"}) {
            const auto listed = list_tree_directory(f.c.db(), *contents, overlay, dir);
            const auto by_name = listed_names(f.c, *contents, overlay, dir);
            ASSERT_EQ(listed.has_value(), by_name.has_value()) << ref.path() << " " << dir;
            if (listed) {
                EXPECT_EQ(sorted(names(listed)), *by_name) << ref.path() << " " << dir;
            }
        }
        EXPECT_FALSE(listed_names(f.c, *contents, overlay, "Pack"));
        EXPECT_FALSE(listed_names(f.c, *contents, overlay, "nothing/below"));
    }
    // Spot checks: the mirror tree's root, a generated tree's overlaid repodata.
    const auto base = open_tree_contents(f.c.db(), *resolve_tree(f.c.db(), TreeAddress::repo_snapshot("base", "s1")));
    EXPECT_EQ(listed_names(f.c, *base, nullptr, ""), (std::vector<std::string>{"Packages-x/", "Packages/", "repodata/"}));
    const auto extra = open_tree_contents(f.c.db(), *resolve_tree(f.c.db(), TreeAddress::repo_latest("extra")));
    const auto repodata = ensure_generated_repodata(f.c.db(), f.c.pool(), *extra);
    EXPECT_EQ(listed_names(f.c, *extra, &repodata, "").value(), (std::vector<std::string>{"Packages/", "repodata/"}));
    EXPECT_EQ(listed_names(f.c, *extra, &repodata, "repodata")->size(), 4u);  // generated, not upstream's
}
