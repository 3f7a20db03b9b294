// The installer tree of an RPM feed (core/sync/rpm/installer_tree.h) against
// a file:// upstream: .treeinfo absent is no error, every listed file is
// pooled once per content and typed by layout, a wrong checksum or a missing
// file fails naming the path, and repair is offered every file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/base/hash.h"
#include "core/catalogue/catalogue.h"
#include "core/catalogue/installer_tree.h"
#include "core/download/download.h"
#include "core/pool/pool.h"
#include "core/sync/rpm/installer_tree.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal {
namespace {

using test_support::TempDir;
using test_support::write_text;

struct Upstream {
    TempDir dir;
    std::filesystem::path root = dir / "upstream";
    Catalogue catalogue = Catalogue::open(dir / "catalogue.db", Catalogue::Mode::create);
    Pool pool{dir / "pool", dir / "tmp"};
    RepositoryConfig repository;
    Downloader downloader{DownloadOptions{}};
    SyncObserver observer;

    Upstream() {
        std::filesystem::create_directories(root / "images" / "pxeboot");
        std::filesystem::create_directories(root / "isolinux");
        repository.id = "boot";
        repository.feed = "file://" + root.string();
    }

    // Writes a file of the tree; returns its "path = sha256:..." line.
    std::string file(const std::string& path, const std::string& bytes) {
        write_text(root / path, bytes);
        return path + " = sha256:" + sha256_hex(bytes) + "\n";
    }

    void treeinfo(const std::string& checksums, const std::string& variant = "repository = .\npackages = Packages\n") {
        write_text(root / ".treeinfo", "[checksums]\n" + checksums + "[variant-BaseOS]\n" + variant);
    }

    InstallerTreeFiles fetch() {
        const auto treeinfo = fetch_treeinfo(downloader, repository);
        if (!treeinfo) throw Error::internal("no .treeinfo");
        return fetch_installer_tree(downloader, catalogue.database(), pool, repository, *treeinfo, observer);
    }
};

TEST(RpmInstallerTree, NoTreeinfoIsNoInstallerTree) {
    Upstream upstream;
    EXPECT_FALSE(fetch_treeinfo(upstream.downloader, upstream.repository));
}

TEST(RpmInstallerTree, ListedFilesArePooledOncePerContentAtTheirPaths) {
    Upstream upstream;
    const std::string kernel(5000, 'k');
    upstream.treeinfo(upstream.file("images/pxeboot/vmlinuz", kernel) + upstream.file("isolinux/vmlinuz", kernel) +
                      upstream.file("images/install.img", std::string(9000, 'i')));
    const InstallerTreeFiles result = upstream.fetch();
    ASSERT_EQ(result.files.size(), 4u);
    EXPECT_EQ(result.files[0].path, ".treeinfo");
    EXPECT_EQ(result.files[1].path, "images/pxeboot/vmlinuz");
    EXPECT_EQ(result.files[2].path, "isolinux/vmlinuz");
    EXPECT_EQ(result.files[1].pool_entry.sha256, sha256_hex(kernel));
    EXPECT_EQ(result.files[2].pool_entry.sha256, sha256_hex(kernel));
    EXPECT_EQ(result.files_downloaded, 2);  // the kernel once
    for (const auto& file : result.files) {
        EXPECT_EQ(file.metadata_type, kInstallerTreeType) << file.path;
        EXPECT_TRUE(upstream.pool.has_file(file.pool_entry.sha256, file.pool_entry.filename, file.pool_entry.size));
    }
    EXPECT_EQ(upstream.catalogue.database().query_int64("SELECT count(*) FROM content_items WHERE kind = 'metadata'"), 3);
    // A second sync reuses the pool.
    EXPECT_EQ(upstream.fetch().files_downloaded, 0);
}

TEST(RpmInstallerTree, AnotherLayoutIsMirrorOnly) {
    Upstream upstream;
    upstream.treeinfo(upstream.file("images/install.img", "stage2"), "repository = BaseOS\n");
    for (const auto& file : upstream.fetch().files) EXPECT_EQ(file.metadata_type, kInstallerTreeMirrorOnlyType);
}

TEST(RpmInstallerTree, AWrongChecksumFailsNamingThePath) {
    Upstream upstream;
    upstream.file("images/install.img", "the real bytes");
    upstream.treeinfo("images/install.img = sha256:" + sha256_hex("other bytes") + "\n");
    metadata::test::expect_error([&] { upstream.fetch(); }, ErrorKind::corrupt, {"repo boot", "'images/install.img'"});
}

TEST(RpmInstallerTree, AMissingListedFileFailsNamingThePath) {
    Upstream upstream;
    upstream.treeinfo("images/missing.img = sha256:" + sha256_hex("absent") + "\n");
    metadata::test::expect_error([&] { upstream.fetch(); }, ErrorKind::not_found, {"repo boot", "'images/missing.img'"});
}

TEST(RpmInstallerTree, AHostileTreeinfoIsRefusedWhenFetched) {
    Upstream upstream;
    upstream.treeinfo("../../etc/passwd = sha256:" + sha256_hex("x") + "\n");
    metadata::test::expect_error([&] { fetch_treeinfo(upstream.downloader, upstream.repository); }, ErrorKind::invalid_input,
                       {"repo boot: .treeinfo:2", "'../../etc/passwd'"});
}

TEST(RpmInstallerTree, RepairIsOfferedEveryFile) {
    Upstream upstream;
    upstream.treeinfo(upstream.file("images/install.img", "stage2"));
    const auto treeinfo = fetch_treeinfo(upstream.downloader, upstream.repository);
    ASSERT_TRUE(treeinfo);
    const auto offers = installer_tree_offers(upstream.repository, *treeinfo);
    ASSERT_EQ(offers.size(), 2u);
    EXPECT_EQ(offers[0].bytes, treeinfo->bytes);
    EXPECT_EQ(offers[1].url, upstream.repository.feed + "/images/install.img");
    EXPECT_EQ(offers[1].checksum.hex, sha256_hex("stage2"));
    EXPECT_EQ(offers[1].file_name, "install.img");
}

}  // namespace
}  // namespace chantal
