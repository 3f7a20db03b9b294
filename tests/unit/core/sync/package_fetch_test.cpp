// fetch_packages(): the package stage of a sync, against a file:// upstream.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/hash.h"
#include "core/catalogue/catalogue.h"
#include "core/download/download.h"
#include "core/pool/pool.h"
#include "core/sync/package_fetch.h"
#include "core/sync/rpm/metadata_loader.h"
#include "core/sync/rpm/rpm_feed.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;
using test_support::write_text;

std::string primary_entry(const std::string& sha256, const std::string& href) {
    return "<package type=\"rpm\"><name>dup</name><arch>noarch</arch><version epoch=\"0\" ver=\"1\" rel=\"1\"/>"
           "<checksum type=\"sha256\" pkgid=\"YES\">" + sha256 + "</checksum><location href=\"" + href +
           "\"/></package>\n";
}

// One package listed twice in primary (the same file in two folders, as
// createrepo_c writes it): fetched once, on the first run, and both entries
// get the pool file.
TEST(PackageFetch, PackageListedAtTwoHrefsIsFetchedOnce) {
    TempDir dir;
    const std::filesystem::path upstream = dir / "upstream";
    std::filesystem::create_directories(upstream / "a");
    std::filesystem::create_directories(upstream / "b");
    std::string bytes;
    for (int i = 0; i < 20000; ++i) bytes += "package bytes " + std::to_string(i) + "\n";
    write_text(upstream / "a" / "dup-1-1.noarch.rpm", bytes);
    write_text(upstream / "b" / "dup-1-1.noarch.rpm", bytes);
    const std::string sha256 = sha256_hex(bytes);
    write_text(dir / "primary.xml", "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" packages=\"2\">\n" +
                                        primary_entry(sha256, "a/dup-1-1.noarch.rpm") +
                                        primary_entry(sha256, "b/dup-1-1.noarch.rpm") + "</metadata>\n");

    Catalogue catalogue = Catalogue::open(dir / "catalogue.db", Catalogue::Mode::create);
    Database& database = catalogue.database();
    std::vector<CataloguedPackage> catalogued;
    {
        Transaction transaction(database);
        catalogued = load_package_metadata(database, {dir / "primary.xml", "primary.xml", std::nullopt}, std::nullopt,
                                           std::nullopt);
        transaction.commit();
    }
    ASSERT_EQ(catalogued.size(), 2u);
    ASSERT_EQ(catalogued[0].package_id, catalogued[1].package_id);

    Pool pool(dir / "pool", dir / "tmp");
    RepositoryConfig repository;
    repository.id = "dup";
    repository.feed = "file://" + upstream.string();
    std::vector<UpstreamPackage> packages;
    for (auto& package : catalogued) packages.push_back(upstream_package(std::move(package), repository));
    Downloader downloader(DownloadOptions{});
    SyncObserver observer;
    std::vector<UpstreamPackage*> selected{&packages[0], &packages[1]};
    PackageFetchResult result = fetch_packages(downloader, database, pool, repository, selected, observer, nullptr);
    EXPECT_TRUE(result.failures.empty()) << result.failures.front();
    EXPECT_FALSE(result.cancelled);
    EXPECT_EQ(result.files_downloaded, 1);
    ASSERT_TRUE(packages[0].content_id.has_value());
    EXPECT_EQ(packages[0].content_id, packages[1].content_id);
    EXPECT_TRUE(pool.contains(sha256, "dup-1-1.noarch.rpm"));
    auto linked = database.prepare("SELECT content_id FROM packages WHERE id = ?1");
    linked.bind(1, packages[0].package_id);
    ASSERT_TRUE(linked.step());
    EXPECT_EQ(linked.column_int64(0), *packages[0].content_id);
    // No partial file is left behind.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "tmp"))
        EXPECT_FALSE(entry.is_regular_file()) << entry.path();
}

}  // namespace
}  // namespace chantal
