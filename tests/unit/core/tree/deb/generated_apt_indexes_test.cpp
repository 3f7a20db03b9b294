// Generated APT trees (core/tree/deb/generated_apt_indexes.h): the Release
// fields the apt: settings give (NotAutomatic, ButAutomaticUpgrades,
// Valid-Until from the tree's change time), which of them enter the tree
// digest, and the by-hash copies of every index (apt.by_hash).
#include "core/tree/deb/generated_apt_indexes.h"

#include <gtest/gtest.h>

#include "core/base/file_util.h"
#include "core/tree/tree.h"
#include "metadata/deb/release_file.h"
#include "support/tree_test_catalogue.h"

using namespace chantal;
using tree_test::TestCatalogue;

namespace {

constexpr std::int64_t kChanged = 1700000100;

// A filtered APT repository "picked" whose latest holds one amd64 package.
struct AptTree {
    TestCatalogue c;
    std::int64_t repo = c.add_repo("picked", true, kChanged);

    AptTree() {
        c.db().execute("UPDATE repositories SET format = 'apt' WHERE id = " + std::to_string(repo));
        const std::string path = "pool/main/h/hello/hello_1.0-1_amd64.deb";
        const auto content = c.add_content("deb bytes of hello", "hello_1.0-1_amd64.deb");
        auto package = c.db().prepare(
            "INSERT INTO packages (checksum_type, checksum, content_id, name, version, release, arch, location_href, "
            "format) VALUES ('sha256', ?1, ?2, 'hello', '1.0', '1', 'amd64', ?3, 'apt')");
        package.bind(1, TestCatalogue::sha256_of("hello")).bind(2, content).bind(3, path);
        package.run();
        const std::int64_t package_id = c.db().last_insert_rowid();
        auto metadata = c.db().prepare("INSERT INTO package_metadata (package_id, primary_xml) VALUES (?1, ?2)");
        metadata.bind(1, package_id)
            .bind_blob(2, std::string("Package: hello\nVersion: 1.0-1\nArchitecture: amd64\nSection: misc\n"
                                      "Priority: optional\nFilename: ") +
                              path + "\nSize: 18\nSHA256: " + TestCatalogue::sha256_of("hello") + "\n");
        metadata.run();
        c.add_latest_package(repo, path, {package_id, content});
    }

    static AptSettings settings() {
        AptSettings apt;
        apt.suite = apt.codename = "picked";
        apt.origin = "Chantal";
        apt.label = "picked";
        return apt;
    }

    std::shared_ptr<const TreeContents> contents(const AptSettings& apt) {
        TreeState state = *resolve_tree(c.db(), TreeAddress::repo_latest("picked"));
        state.apt = apt;
        return open_tree_contents(c.db(), state);
    }

    std::string digest(const AptSettings& apt) { return generated_apt_tree_digest(c.db(), *contents(apt)); }

    GeneratedFiles generate(const AptSettings& apt) {
        return ensure_generated_apt_indexes(c.db(), c.pool(), *contents(apt));
    }

    std::string read(const GeneratedFiles& files, const std::string& path) {
        const GeneratedFile* file = files.find(path);
        if (!file) {
            ADD_FAILURE() << "no generated " << path;
            return "";
        }
        return read_file(c.pool().path_for(file->file.sha256, file->file.filename));
    }
};

}  // namespace

TEST(GeneratedAptIndexes, ReleaseFieldsOfTheDefaults) {
    AptTree tree;
    const std::string text = tree.read(tree.generate(AptTree::settings()), "dists/picked/Release");
    EXPECT_EQ(text.find("NotAutomatic"), std::string::npos) << text;
    EXPECT_EQ(text.find("ButAutomaticUpgrades"), std::string::npos) << text;
    EXPECT_EQ(text.find("Valid-Until"), std::string::npos) << text;
    const auto release = metadata::parse_release(text, "Release");
    EXPECT_EQ(release.date, kChanged);
}

TEST(GeneratedAptIndexes, NotAutomaticButAutomaticUpgradesAndValidUntil) {
    AptTree tree;
    AptSettings apt = AptTree::settings();
    apt.not_automatic = true;
    apt.but_automatic_upgrades = true;
    apt.valid_until_days = 7;
    const std::string text = tree.read(tree.generate(apt), "dists/picked/Release");
    EXPECT_NE(text.find("\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n"), std::string::npos) << text;
    const auto release = metadata::parse_release(text, "Release");
    EXPECT_TRUE(release.not_automatic && release.but_automatic_upgrades);
    EXPECT_EQ(release.date, kChanged);
    EXPECT_EQ(release.valid_until, kChanged + 7 * 86400);  // from the tree's time: deterministic
    EXPECT_EQ(tree.read(tree.generate(apt), "dists/picked/Release"), text);
}

TEST(GeneratedAptIndexes, EachReleaseSettingEntersTheDigestOnlyWhenItActs) {
    AptTree tree;
    const AptSettings defaults = AptTree::settings();
    const std::string plain = tree.digest(defaults);
    AptSettings apt = defaults;
    apt.but_automatic_upgrades = true;  // without not_automatic: not written, same tree
    EXPECT_EQ(tree.digest(apt), plain);
    EXPECT_EQ(tree.read(tree.generate(apt), "dists/picked/Release").find("ButAutomatic"), std::string::npos);
    apt.not_automatic = true;
    const std::string both = tree.digest(apt);
    EXPECT_NE(both, plain);
    apt.but_automatic_upgrades = false;
    EXPECT_NE(tree.digest(apt), both);
    EXPECT_NE(tree.digest(apt), plain);
    apt = defaults;
    apt.valid_until_days = 7;
    const std::string seven = tree.digest(apt);
    EXPECT_NE(seven, plain);
    apt.valid_until_days = 8;
    EXPECT_NE(tree.digest(apt), seven);
}

TEST(GeneratedAptIndexes, EveryIndexIsAlsoServedByItsSha256) {
    AptTree tree;
    const GeneratedFiles files = tree.generate(AptTree::settings());
    const std::string text = tree.read(files, "dists/picked/Release");
    EXPECT_NE(text.find("\nAcquire-By-Hash: yes\n"), std::string::npos) << text;
    const auto release = metadata::parse_release(text, "Release");
    ASSERT_EQ(release.files.size(), 3u);  // main/binary-amd64/Packages{,.gz,.xz}; by-hash paths are not listed
    std::size_t by_hash = 0;
    for (const auto& file : files.files)
        if (file.path.find("/by-hash/") != std::string::npos) ++by_hash;
    EXPECT_EQ(by_hash, release.files.size());
    for (const auto& entry : release.files) {
        const std::string directory = entry.path.substr(0, entry.path.rfind('/'));
        const std::string path = "dists/picked/" + directory + "/by-hash/SHA256/" + entry.sha256;
        const GeneratedFile* copy = files.find(path);
        ASSERT_TRUE(copy) << path;
        EXPECT_EQ(copy->file.sha256, entry.sha256);
        EXPECT_EQ(copy->file.size, entry.size);
        EXPECT_EQ(tree.read(files, path), tree.read(files, "dists/picked/" + entry.path));
    }
    // Found again under the same digest, by-hash files included.
    const auto found = find_generated_apt_indexes(tree.c.db(), files.tree_digest);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->files.size(), files.files.size());
}

TEST(GeneratedAptIndexes, ByHashFalseServesNoCopies) {
    AptTree tree;
    AptSettings apt = AptTree::settings();
    const std::string with_copies = tree.digest(apt);
    apt.by_hash = false;
    EXPECT_NE(tree.digest(apt), with_copies);
    const GeneratedFiles files = tree.generate(apt);
    for (const auto& file : files.files) EXPECT_EQ(file.path.find("by-hash"), std::string::npos) << file.path;
    EXPECT_EQ(tree.read(files, "dists/picked/Release").find("Acquire-By-Hash"), std::string::npos);
}
