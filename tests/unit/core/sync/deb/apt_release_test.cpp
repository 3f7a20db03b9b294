// Which index files of a Release an APT sync takes.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/base/error.h"
#include "core/sync/deb/apt_release.h"

namespace chantal {
namespace {

metadata::ReleaseFile release_listing(const std::vector<std::string>& paths) {
    metadata::ReleaseFile release;
    release.components = {"main", "contrib"};
    for (const auto& path : paths) release.files.push_back({path, 10, std::string(64, 'a')});
    return release;
}

std::vector<std::string> selected_paths(const metadata::ReleaseFile& release, const AptSettings& apt,
                                        IndexScope scope = IndexScope::everything) {
    std::vector<std::string> paths;
    for (const auto& index : select_release_indexes(release, apt, scope, "debian")) paths.push_back(index.entry->path);
    return paths;
}

const std::vector<std::string> kDebianLike = {
    "main/binary-amd64/Packages",     "main/binary-amd64/Packages.gz", "main/binary-amd64/Packages.xz",
    "main/binary-amd64/Release",      "main/binary-arm64/Packages.xz", "main/binary-all/Packages.xz",
    "main/source/Sources.xz",         "main/i18n/Translation-en.bz2",  "main/Contents-amd64.gz",
    "main/binary-amd64/Packages.diff/Index", "contrib/binary-amd64/Packages.xz", "main/debian-installer/binary-amd64/Packages.xz"};

TEST(AptReleaseIndexes, TakesEveryVariantOfTheConfiguredIndexesAndBinaryAll) {
    const auto release = release_listing(kDebianLike);
    AptSettings apt;
    apt.distribution = "bookworm";
    EXPECT_EQ(selected_paths(release, apt),
              (std::vector<std::string>{"main/binary-all/Packages.xz", "main/binary-amd64/Packages",
                                        "main/binary-amd64/Packages.gz", "main/binary-amd64/Packages.xz",
                                        "main/binary-amd64/Release"}));
    EXPECT_EQ(selected_paths(release, apt, IndexScope::package_lists),
              (std::vector<std::string>{"main/binary-all/Packages.xz", "main/binary-amd64/Packages",
                                        "main/binary-amd64/Packages.gz", "main/binary-amd64/Packages.xz"}));
    const auto selected = select_release_indexes(release, apt, IndexScope::everything, "debian");
    const auto gz = std::find_if(selected.begin(), selected.end(),
                                 [](const SelectedIndex& index) { return index.entry->path.ends_with(".gz"); });
    ASSERT_NE(gz, selected.end());
    EXPECT_EQ(gz->group, "main/binary-amd64/Packages");
    EXPECT_EQ(gz->metadata_type, "packages");
    EXPECT_EQ(gz->open_size, 10u);  // the uncompressed variant's size
}

TEST(AptReleaseIndexes, SourcesTranslationsAndContentsWhenAskedFor) {
    std::vector<std::string> listed = kDebianLike;
    listed.push_back("contrib/source/Sources.gz");
    const auto release = release_listing(listed);
    AptSettings apt;
    apt.distribution = "bookworm";
    apt.components = {"main", "contrib"};
    apt.include_source_packages = apt.include_translations = apt.include_contents = true;
    const auto paths = selected_paths(release, apt);
    for (const char* expected : {"main/source/Sources.xz", "main/i18n/Translation-en.bz2", "main/Contents-amd64.gz",
                                 "contrib/binary-amd64/Packages.xz"})
        EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << expected;
    EXPECT_EQ(std::find(paths.begin(), paths.end(), "main/binary-amd64/Packages.diff/Index"), paths.end());
    EXPECT_EQ(std::find(paths.begin(), paths.end(), "main/binary-arm64/Packages.xz"), paths.end());
}

TEST(AptReleaseIndexes, AMissingComponentOrArchitectureIsAnError) {
    const auto release = release_listing(kDebianLike);
    AptSettings apt;
    apt.distribution = "bookworm";
    apt.architectures = {"riscv64"};
    try {
        select_release_indexes(release, apt, IndexScope::everything, "debian");
        FAIL() << "selected";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("main/binary-riscv64/Packages"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("Components: main contrib"), std::string::npos) << error.what();
    }
    apt.architectures = {"amd64"};
    apt.components = {"non-free"};
    EXPECT_THROW(select_release_indexes(release, apt, IndexScope::everything, "debian"), Error);
}

TEST(AptReleaseIndexes, FlatRepositoryTakesTheRootIndexes) {
    const auto release = release_listing({"Packages", "Packages.gz", "Sources.gz", "sub/Packages"});
    AptSettings apt;
    apt.flat_repository = true;
    EXPECT_EQ(selected_paths(release, apt), (std::vector<std::string>{"Packages", "Packages.gz"}));
}

}  // namespace
}  // namespace chantal
