// Every filter against catalogue rows that have its field, with the
// boundaries (min == size, builds at midnight), the retention bounds, and
// the warning when the filters leave nothing.
#include "core/sync/package_filter.h"

#include <gtest/gtest.h>

#include "core/config/iso_time.h"
#include "core/sync/package_selection.h"
#include "core/tree/package_format.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::CatalogueFixture;
using test_support::FakePackage;
using test_support::TempDir;

namespace {

const std::int64_t kMidnight = *parse_iso_time("2024-01-01");

// Upstream packages as a sync holds them, each with its catalogue row.
class FilterTest : public ::testing::Test {
protected:
    FilterTest() : fixture_(dir_ / "chantal.db"), details_(fixture_.database()) {}

    void add(const FakePackage& fake) {
        UpstreamPackage package;
        package.format = &package_format("rpm");
        package.package_id = fixture_.add_package(fake);
        package.name = fake.name;
        package.arch = fake.arch;
        package.epoch = fake.epoch;
        package.version = fake.version;
        package.release = fake.release;
        package.size = fake.size;
        package.location = "Packages/" + fake.filename();
        package.placement = MirrorPlacement::in_tree;
        packages_.push_back(std::move(package));
    }

    // Names of the selected packages ("name-version"), in upstream order.
    std::vector<std::string> selected(const RepositoryConfig& repository, std::int64_t now = kMidnight) {
        const PackageFilter filter(repository, package_format("rpm"), now);
        std::vector<std::string> names;
        for (std::size_t index : filter.select(packages_, lookup()))
            names.push_back(packages_[index].name + "-" + packages_[index].version);
        return names;
    }

    PackageDetailsLookup lookup() {
        return [this](const UpstreamPackage& package) { return details_.read(package.package_id); };
    }

    static RepositoryConfig filtered(const RepositoryFilters& filters) {
        RepositoryConfig repository;
        repository.id = "base";
        repository.mode = RepositoryMode::filtered;
        repository.filters = filters;
        return repository;
    }

    TempDir dir_;
    CatalogueFixture fixture_;
    PackageDetailsReader details_;
    std::vector<UpstreamPackage> packages_;
};

using Names = std::vector<std::string>;

}  // namespace

TEST_F(FilterTest, SizeBoundsAreInclusive) {
    add({.name = "small", .size = 999});
    add({.name = "exact-min", .size = 1000});
    add({.name = "exact-max", .size = 5000});
    add({.name = "large", .size = 5001});
    RepositoryFilters filters;
    filters.size_bytes.min = 1000;
    EXPECT_EQ(selected(filtered(filters)), (Names{"exact-min-1.0", "exact-max-1.0", "large-1.0"}));
    filters.size_bytes.max = 5000;
    EXPECT_EQ(selected(filtered(filters)), (Names{"exact-min-1.0", "exact-max-1.0"}));
    filters.size_bytes.min.reset();
    EXPECT_EQ(selected(filtered(filters)), (Names{"small-1.0", "exact-min-1.0", "exact-max-1.0"}));
}

TEST_F(FilterTest, BuildTimeBoundsAreInclusiveAtMidnight) {
    add({.name = "before", .build_time = kMidnight - 1});
    add({.name = "midnight", .build_time = kMidnight});
    add({.name = "after", .build_time = kMidnight + 1});
    add({.name = "unknown", .build_time = 0});  // no build time: passes, as in Python Chantal
    RepositoryFilters filters;
    filters.build_time.newer_than = parse_iso_time("2024-01-01");
    EXPECT_EQ(selected(filtered(filters)), (Names{"midnight-1.0", "after-1.0", "unknown-1.0"}));
    filters.build_time = {};
    filters.build_time.older_than = parse_iso_time("2024-01-01");
    EXPECT_EQ(selected(filtered(filters)), (Names{"before-1.0", "midnight-1.0", "unknown-1.0"}));
    filters.build_time.newer_than = filters.build_time.older_than;
    EXPECT_EQ(selected(filtered(filters)), (Names{"midnight-1.0", "unknown-1.0"}));
}

TEST_F(FilterTest, LastNDaysCountsFromMidnightUtc) {
    const std::int64_t now = *parse_iso_time("2024-01-11T15:30:00Z");
    add({.name = "old", .build_time = kMidnight - 1});
    add({.name = "edge", .build_time = kMidnight});  // midnight 10 days before the day of `now`
    add({.name = "new", .build_time = now - 60});
    RepositoryFilters filters;
    filters.build_time.last_n_days = 10;
    EXPECT_EQ(selected(filtered(filters), now), (Names{"edge-1.0", "new-1.0"}));
    EXPECT_EQ(earliest_build_time(filters.build_time, now), kMidnight);
    // The later of newer_than and the last_n_days cutoff wins.
    filters.build_time.newer_than = now - 3600;
    EXPECT_EQ(selected(filtered(filters), now), (Names{"new-1.0"}));
    filters.build_time.newer_than = kMidnight - 86400;
    EXPECT_EQ(earliest_build_time(filters.build_time, now), kMidnight);
}

TEST_F(FilterTest, GroupsLicensesAndVendorsMatchExactlyOrByRegex) {
    add({.name = "gpl2plus", .license = "GPLv2+", .vendor = "Fedora Project", .group = "System Environment/Base"});
    add({.name = "gpl3", .license = "GPLv3", .vendor = "Acme Corp", .group = "Applications/Games"});
    add({.name = "mit", .license = "MIT", .vendor = "Fedora Project", .group = "Development/Libraries"});
    add({.name = "bare", .license = "", .vendor = "", .group = ""});  // primary gives none: passes
    RepositoryFilters filters;
    filters.licenses.include = {"GPLv2+"};  // as a regex it would not match itself; equal, it does
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "bare-1.0"}));
    filters.licenses.include = {"^GPL"};
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "gpl3-1.0", "bare-1.0"}));
    filters.licenses.exclude = {"v3$"};
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "bare-1.0"}));

    filters = {};
    filters.vendors.exclude = {"Acme"};
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "mit-1.0", "bare-1.0"}));
    filters.vendors = {};
    filters.vendors.include = {"Fedora Project"};
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "mit-1.0", "bare-1.0"}));

    filters = {};
    filters.groups.include = {"^System", "Games"};
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "gpl3-1.0", "bare-1.0"}));
    filters.groups.exclude = {"Applications/Games"};
    EXPECT_EQ(selected(filtered(filters)), (Names{"gpl2plus-1.0", "bare-1.0"}));
}

TEST_F(FilterTest, DebianPrioritiesAndSectionsReadTheRowAndTheStanza) {
    // Section is the row's package_group; Priority is read from the stored stanza.
    const auto add_deb = [&](const std::string& name, const std::string& section, const std::string& priority,
                             const std::string& arch = "amd64") {
        add({.name = name, .arch = arch, .group = section});
        std::string stanza = "Package: " + name + "\nVersion: 1.0-1\nArchitecture: " + arch + "\n";
        if (!priority.empty()) stanza += "Priority: " + priority + "\n";
        fixture_.database()
            .prepare("UPDATE package_metadata SET primary_xml = ?2 WHERE package_id = ?1")
            .bind(1, packages_.back().package_id)
            .bind_blob(2, stanza + "Description: d\n")
            .run();
    };
    add_deb("hello", "misc", "optional");
    add_deb("netcat", "contrib/net", "extra");
    add_deb("base", "admin", "required");
    add_deb("bare", "", "");  // neither field: passes both
    add_deb("hello-src", "misc", "source", "source");
    PackageDetailsReader with_priority(fixture_.database(), true);
    const PackageDetailsLookup lookup = [&](const UpstreamPackage& package) {
        return with_priority.read(package.package_id);
    };
    const auto selected_debs = [&](const RepositoryFilters& filters) {
        const RepositoryConfig repository = filtered(filters);
        const PackageFilter filter(repository, package_format("apt"), kMidnight);
        EXPECT_TRUE(filter.needs_details());
        Names names;
        for (std::size_t index : filter.select(packages_, lookup)) names.push_back(packages_[index].name);
        return names;
    };
    RepositoryFilters filters;
    filters.deb_priorities = {"optional", "required"};
    EXPECT_EQ(selected_debs(filters), (Names{"hello", "base", "bare", "hello-src"}));  // a source passes priorities
    filters = {};
    filters.deb_sections = {"net", "misc"};  // "contrib/net" matches by the part after its area
    EXPECT_EQ(selected_debs(filters), (Names{"hello", "netcat", "bare", "hello-src"}));
    filters.deb_sections = {"contrib/net"};  // and by its whole value
    EXPECT_EQ(selected_debs(filters), (Names{"netcat", "bare"}));
    filters.deb_sections = {"contrib"};  // the area alone is not a section
    EXPECT_EQ(selected_debs(filters), (Names{"bare"}));
    filters.deb_sections = {"misc", "admin"};
    filters.deb_priorities = {"required"};  // both must pass
    EXPECT_EQ(selected_debs(filters), (Names{"base", "bare", "hello-src"}));
    const PackageFilter filter(filtered(filters), package_format("apt"), kMidnight);
    EXPECT_EQ(filter.descriptions(),
              (Names{"filters.deb.priorities [required]", "filters.deb.sections [misc, admin]"}));
    // Only a reader made for a priorities filter reads the stanza.
    EXPECT_EQ(details_.read(packages_[0].package_id).priority, "");
    EXPECT_EQ(with_priority.read(packages_[0].package_id).priority, "optional");
}

TEST_F(FilterTest, EpochsIncludeAndExclude) {
    add({.name = "zero", .epoch = 0});
    add({.name = "one", .epoch = 1});
    add({.name = "two", .epoch = 2});
    RepositoryFilters filters;
    filters.epochs.include = {0, 2};
    EXPECT_EQ(selected(filtered(filters)), (Names{"zero-1.0", "two-1.0"}));
    filters.epochs.exclude = {2};
    EXPECT_EQ(selected(filtered(filters)), (Names{"zero-1.0"}));
    filters.epochs.include.clear();
    EXPECT_EQ(selected(filtered(filters)), (Names{"zero-1.0", "one-1.0"}));
}

TEST_F(FilterTest, FiltersWithoutDetailsNeedNoLookup) {
    add({.name = "a", .size = 10});
    RepositoryFilters filters;
    filters.size_bytes.max = 10;
    filters.epochs.include = {0};
    const RepositoryConfig repository = filtered(filters);
    const PackageFilter filter(repository, package_format("rpm"), kMidnight);
    EXPECT_FALSE(filter.needs_details());
    EXPECT_EQ(filter.select(packages_, PackageDetailsLookup()).size(), 1u);
}

TEST_F(FilterTest, RetentionBoundsVersionsPerNameArchLikePostProcessing) {
    for (const char* version : {"1.0", "2.0", "3.0", "4.0"}) add({.name = "tool", .version = version});
    add({.name = "tool", .version = "4.0", .arch = "aarch64"});
    RepositoryConfig repository = filtered({});
    repository.retention.policy = RetentionPolicy::newest_only;
    EXPECT_EQ(selected(repository), (Names{"tool-4.0", "tool-4.0"}));
    repository.retention = {RetentionPolicy::keep_last_n, 2};
    EXPECT_EQ(selected(repository), (Names{"tool-3.0", "tool-4.0", "tool-4.0"}));
    repository.filters.only_latest_n_versions = 3;  // the smaller bound wins
    EXPECT_EQ(versions_kept(repository), 2);
    repository.filters.only_latest_n_versions = 0;
    repository.filters.only_latest_version = true;
    EXPECT_EQ(versions_kept(repository), 1);
    repository.retention = {RetentionPolicy::keep_all, 0};
    repository.filters.only_latest_version = false;
    EXPECT_EQ(versions_kept(repository), 0);
    EXPECT_EQ(selected(repository).size(), 5u);
}

TEST_F(FilterTest, NothingSelectedWarnsNamingEachFilterAndTheNearestArch) {
    add({.name = "nginx", .arch = "x86_64"});
    add({.name = "nginx-doc", .arch = "noarch"});
    RepositoryFilters filters;
    filters.architectures.include = {"x86-64"};
    filters.patterns.include = {"^nginx"};
    const RepositoryConfig repository = filtered(filters);
    const PackageSelection selection =
        select_packages(package_format("rpm"), repository, packages_, std::nullopt, lookup(), kMidnight);
    EXPECT_TRUE(selection.packages.empty());
    ASSERT_EQ(selection.warnings.size(), 1u);
    const std::string& warning = selection.warnings[0];
    EXPECT_NE(warning.find("the filters leave none of upstream's 2 package(s)"), std::string::npos) << warning;
    EXPECT_NE(warning.find("filters.metadata.architectures.include [x86-64] passes 0 of 2 (upstream has noarch, "
                           "x86_64; did you mean 'x86_64' for 'x86-64'?)"),
              std::string::npos)
        << warning;
    EXPECT_NE(warning.find("filters.patterns.include [^nginx] passes 2 of 2"), std::string::npos) << warning;

    // A selection that keeps something, or an empty upstream, does not warn.
    std::vector<UpstreamPackage> none;
    EXPECT_TRUE(select_packages(package_format("rpm"), repository, none, std::nullopt, lookup(), kMidnight)
                    .warnings.empty());
    filters.architectures.include = {"x86_64"};
    EXPECT_TRUE(select_packages(package_format("rpm"), filtered(filters), packages_, std::nullopt, lookup(), kMidnight)
                    .warnings.empty());
}
