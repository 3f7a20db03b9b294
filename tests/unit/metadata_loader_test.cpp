// load_package_metadata(): filelists/other parsed on their own threads and
// paired with primary's packages, whatever their order.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/metadata_loader.h"
#include "metadata_test_support.h"
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
    auto statement = database.prepare("SELECT coalesce(" + name + ", 'NULL') FROM packages ORDER BY name");
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
    auto statement = database.prepare("SELECT other_xml FROM packages WHERE name = 'p10'");
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

}  // namespace
}  // namespace chantal
