// load_package_metadata(): filelists/other parsed on their own threads and
// paired with primary's packages, whatever their order.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/catalogue/catalogue.h"
#include "core/sync/rpm/metadata_loader.h"
#include "metadata/compression/compression.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;
using test_support::write_text;

std::string pkgid(int i) {
    std::string digits = std::to_string(i);
    return std::string(64 - digits.size(), 'a') + digits;
}

std::string primary_xml(const std::vector<int>& ids) {
    std::string xml = "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
                      "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"" + std::to_string(ids.size()) + "\">\n";
    for (int i : ids)
        xml += "<package type=\"rpm\"><name>p" + std::to_string(i) + "</name><arch>noarch</arch>"
               "<version epoch=\"0\" ver=\"1\" rel=\"1\"/><checksum type=\"sha256\" pkgid=\"YES\">" + pkgid(i) +
               "</checksum><location href=\"p" + std::to_string(i) + ".rpm\"/></package>\n";
    return xml + "</metadata>\n";
}

std::string list_xml(const char* root, const std::vector<int>& ids) {
    std::string xml = std::string("<") + root + " packages=\"" + std::to_string(ids.size()) + "\">\n";
    for (int i : ids)
        xml += "<package pkgid=\"" + pkgid(i) + "\" name=\"p" + std::to_string(i) +
               "\" arch=\"noarch\"><version epoch=\"0\" ver=\"1\" rel=\"1\"/><x>" + root + std::to_string(i) +
               "</x></package>\n";
    return xml + "</" + root + ">\n";
}

std::vector<std::string> column(Database& database, const std::string& name) {
    std::vector<std::string> values;
    auto statement = database.prepare("SELECT coalesce(" + name +
                                      ", 'NULL') FROM packages p JOIN package_metadata m ON m.package_id = p.id "
                                      "ORDER BY p.name");
    while (statement.step()) values.push_back(statement.column_text(0));
    return values;
}

TEST(MetadataLoader, PairsElementsWhateverTheOrder) {
    TempDir dir;
    std::vector<int> primary_order;
    for (int i = 0; i < 3000; ++i) primary_order.push_back(i);
    std::vector<int> filelists_order(primary_order.rbegin(), primary_order.rend());  // beyond the stash
    filelists_order.push_back(99999);                                               // not in primary
    std::vector<int> other_order = primary_order;
    std::swap(other_order[5], other_order[6]);
    other_order.erase(other_order.begin() + 10);  // package 10 has no other element
    write_text(dir / "primary.xml", primary_xml(primary_order));
    write_text(dir / "filelists.xml", list_xml("filelists", filelists_order));
    write_text(dir / "other.xml", list_xml("otherdata", other_order));
    Catalogue catalogue = Catalogue::open(dir / "catalogue.db", Catalogue::Mode::create);
    Database& database = catalogue.database();
    auto file = [&](const char* name) { return MetadataFileToLoad{dir / name, name, std::nullopt}; };
    {
        Transaction transaction(database);
        auto packages = load_package_metadata(database, file("primary.xml"), file("filelists.xml"), file("other.xml"));
        transaction.commit();
        ASSERT_EQ(packages.size(), 3000u);
        EXPECT_EQ(packages[7].name, "p7");
        EXPECT_TRUE(packages[7].newly_catalogued);
    }
    auto names = column(database, "name");
    auto filelists = column(database, "filelists_xml");
    auto other = column(database, "other_xml");
    ASSERT_EQ(names.size(), 3000u);
    for (std::size_t row = 0; row < names.size(); ++row) {
        const std::string number = names[row].substr(1);
        EXPECT_NE(filelists[row].find("<x>filelists" + number + "</x>"), std::string::npos) << names[row];
        if (number == "10") EXPECT_EQ(other[row], "NULL");
        else EXPECT_NE(other[row].find("<x>otherdata" + number + "</x>"), std::string::npos) << names[row];
    }

    // A second load finds everything catalogued; it only completes package 10.
    write_text(dir / "other.xml", list_xml("otherdata", primary_order));
    Transaction transaction(database);
    auto again = load_package_metadata(database, file("primary.xml"), file("filelists.xml"), file("other.xml"));
    transaction.commit();
    ASSERT_EQ(again.size(), 3000u);
    EXPECT_FALSE(again[0].newly_catalogued);
    auto statement = database.prepare("SELECT m.other_xml FROM packages p JOIN package_metadata m ON m.package_id = p.id WHERE p.name = 'p10'");
    ASSERT_TRUE(statement.step());
    EXPECT_NE(statement.column_text(0).find("<x>otherdata10</x>"), std::string::npos);
}

TEST(MetadataLoader, ErrorsOfFilelistsPropagate) {
    TempDir dir;
    write_text(dir / "primary.xml", primary_xml({1, 2}));
    write_text(dir / "filelists.xml", "<filelists><package pkgid=\"zz\" name=\"a\" arch=\"b\"/></filelists>");
    Catalogue catalogue = Catalogue::open(dir / "catalogue.db", Catalogue::Mode::create);
    Database& database = catalogue.database();
    Transaction transaction(database);
    metadata::test::expect_error(
        [&] {
            load_package_metadata(database, {dir / "primary.xml", "primary.xml", std::nullopt},
                                  MetadataFileToLoad{dir / "filelists.xml", "filelists.xml", std::nullopt}, std::nullopt);
        },
        ErrorKind::invalid_input, {"filelists.xml line 1", "pkgid"});
}


// Every file given is read to its end, also when every package of it is
// already catalogued with its elements (nothing of it is needed): a
// truncated or malformed filelists/other fails the load, and the catalogue
// keeps what it had.
TEST(MetadataLoader, BrokenFilesFailWhenEveryPackageIsKnown) {
    TempDir dir;
    std::vector<int> ids;
    for (int i = 0; i < 2000; ++i) ids.push_back(i);  // more than the stash and the parse queue hold
    const std::string filelists = metadata::gzip_compress(list_xml("filelists", ids));
    const std::string other = metadata::gzip_compress(list_xml("otherdata", ids));
    write_text(dir / "primary.xml", primary_xml(ids));
    write_text(dir / "filelists.xml.gz", filelists);
    write_text(dir / "other.xml.gz", other);
    Catalogue catalogue = Catalogue::open(dir / "catalogue.db", Catalogue::Mode::create);
    Database& database = catalogue.database();
    auto file = [&](const std::string& name) { return MetadataFileToLoad{dir / name, "repo1: " + name, std::nullopt}; };
    auto load = [&](const std::string& filelists_name, const std::string& other_name) {
        Transaction transaction(database);
        auto packages = load_package_metadata(database, file("primary.xml"), file(filelists_name), file(other_name));
        transaction.commit();
        return packages;
    };
    ASSERT_EQ(load("filelists.xml.gz", "other.xml.gz").size(), ids.size());
    const auto filelists_before = column(database, "filelists_xml");
    const auto other_before = column(database, "other_xml");

    // Broken copies: the gzip stream cut short, and a closing tag misspelt
    // near the end (line 2000: after every element a pairing would need).
    write_text(dir / "filelists-truncated.xml.gz", filelists.substr(0, filelists.size() / 2));
    write_text(dir / "other-truncated.xml.gz", other.substr(0, other.size() - 20));
    std::string bad_list = list_xml("filelists", ids);
    bad_list.replace(bad_list.rfind("</package>"), 10, "</packag>");
    write_text(dir / "filelists-malformed.xml", bad_list);
    bad_list = list_xml("otherdata", ids);
    bad_list.replace(bad_list.rfind("</package>"), 10, "</packag>");
    write_text(dir / "other-malformed.xml", bad_list);

    metadata::test::expect_error([&] { load("filelists-truncated.xml.gz", "other.xml.gz"); }, ErrorKind::corrupt,
                                 {"repo1: filelists-truncated.xml.gz", "truncated"});
    metadata::test::expect_error([&] { load("filelists.xml.gz", "other-truncated.xml.gz"); }, ErrorKind::corrupt,
                                 {"repo1: other-truncated.xml.gz", "truncated"});
    metadata::test::expect_error([&] { load("filelists-malformed.xml", "other.xml.gz"); }, ErrorKind::invalid_input,
                                 {"repo1: filelists-malformed.xml line 2001"});
    metadata::test::expect_error([&] { load("filelists.xml.gz", "other-malformed.xml"); }, ErrorKind::invalid_input,
                                 {"repo1: other-malformed.xml line 2001"});
    EXPECT_EQ(column(database, "filelists_xml"), filelists_before);
    EXPECT_EQ(column(database, "other_xml"), other_before);

    // The good files still load, reusing every package.
    auto again = load("filelists.xml.gz", "other.xml.gz");
    ASSERT_EQ(again.size(), ids.size());
    for (const auto& package : again) EXPECT_FALSE(package.newly_catalogued) << package.name;
}

// One package listed twice in primary (one file at two hrefs, as
// createrepo_c writes for a file in two folders): one catalogue row, both
// entries returned with their own href.
TEST(MetadataLoader, PackageListedTwiceIsOneRow) {
    TempDir dir;
    std::string primary = primary_xml({1, 2});
    primary.insert(primary.rfind("</metadata>"),
                   "<package type=\"rpm\"><name>p1</name><arch>noarch</arch><version epoch=\"0\" ver=\"1\" rel=\"1\"/>"
                   "<checksum type=\"sha256\" pkgid=\"YES\">" + pkgid(1) + "</checksum>"
                   "<location href=\"again/p1.rpm\"/></package>\n");
    write_text(dir / "primary.xml", primary);
    write_text(dir / "filelists.xml", list_xml("filelists", {1, 2, 1}));
    write_text(dir / "other.xml", list_xml("otherdata", {1, 2, 1}));
    Catalogue catalogue = Catalogue::open(dir / "catalogue.db", Catalogue::Mode::create);
    Database& database = catalogue.database();
    auto file = [&](const char* name) { return MetadataFileToLoad{dir / name, name, std::nullopt}; };
    Transaction transaction(database);
    auto packages = load_package_metadata(database, file("primary.xml"), file("filelists.xml"), file("other.xml"));
    transaction.commit();
    ASSERT_EQ(packages.size(), 3u);
    EXPECT_EQ(packages[0].package_id, packages[2].package_id);
    EXPECT_EQ(packages[0].location, "p1.rpm");
    EXPECT_EQ(packages[2].location, "again/p1.rpm");
    EXPECT_FALSE(packages[2].needs_filelists);
    EXPECT_FALSE(packages[2].needs_other);
    EXPECT_EQ(column(database, "name"), (std::vector<std::string>{"p1", "p2"}));
}

}  // namespace
}  // namespace chantal
