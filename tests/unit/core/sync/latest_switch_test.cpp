// switch_latest: the change time every switch of latest gets.
#include "core/sync/latest_switch.h"

#include <gtest/gtest.h>

#include "core/tree/tree.h"
#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

namespace {

using chantal::test_support::CatalogueFixture;
using chantal::test_support::FakePackage;
using chantal::test_support::TempDir;

struct LatestSwitch : ::testing::Test {
    TempDir dir;
    CatalogueFixture catalogue{dir.path() / "chantal.db"};
    chantal::Database& db() { return catalogue.database(); }

    chantal::RepositoryConfig repository() {
        chantal::RepositoryConfig config;
        config.id = "main";
        return config;
    }
    std::vector<chantal::LatestEntry> entries_for(const std::vector<FakePackage>& packages) {
        std::vector<chantal::LatestEntry> entries;
        for (const auto& package : packages) {
            const std::int64_t package_id = catalogue.add_package(package);
            const std::int64_t content_id = db().query_int64("SELECT content_id FROM packages WHERE id = " +
                                                             std::to_string(package_id));
            entries.push_back({"Packages/" + package.filename(), content_id, package_id, "package", std::nullopt});
        }
        return entries;
    }
    std::int64_t switch_to(const std::vector<FakePackage>& packages, std::int64_t now) {
        const auto row = catalogue.add_repository("main");
        chantal::Transaction transaction(db());
        chantal::switch_latest(db(), repository(), row, entries_for(packages), now, 3600);
        transaction.commit();
        return db().query_int64("SELECT latest_changed_at FROM repositories WHERE id = " + std::to_string(row));
    }
    std::string version() {
        const auto state = chantal::resolve_tree(db(), chantal::TreeAddress::repo_latest("main"));
        return state ? state->version : "";
    }
};

}  // namespace

TEST_F(LatestSwitch, EverySwitchGetsAChangeTimeOfItsOwn) {
    EXPECT_EQ(switch_to({{"a"}}, 1700000000), 1700000000);
    const auto first = version();
    ASSERT_FALSE(first.empty());
    // The same second, other packages: one second later, another tree version.
    EXPECT_EQ(switch_to({{"a"}, {"b"}}, 1700000000), 1700000001);
    const auto second = version();
    EXPECT_NE(second, first);
    // The same count of other packages, a clock that went back: still later.
    EXPECT_EQ(switch_to({{"a"}, {"c"}}, 1699999000), 1700000002);
    EXPECT_NE(version(), second);
    // A later clock is taken as it is.
    EXPECT_EQ(switch_to({{"a"}}, 1700000100), 1700000100);
}
