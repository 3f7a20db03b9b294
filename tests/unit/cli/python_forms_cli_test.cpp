// The Python Chantal's command forms through the real chantal binary, each
// next to our own form on the same catalogue: same stdout, same exit status.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/catalogue_fixture.h"
#include "support/temp_dir.h"

using chantal::test_support::CatalogueFixture;
using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

struct Outcome {
    int status = 0;
    std::string out;  // stdout only
    bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& stream, const Outcome& outcome) {
    return stream << "exit " << outcome.status << ":\n" << outcome.out;
}

class PythonFormsCli : public ::testing::Test {
protected:
    void SetUp() override {
        write_text(dir_ / "config.yaml", "storage:\n  base_path: data\n"
                                         "repositories:\n"
                                         "  - id: base\n    feed: http://127.0.0.1:9/base\n"
                                         "  - id: extra\n    feed: http://127.0.0.1:9/extra\n"
                                         "views:\n  - name: all\n    repos: [base, extra]\n");
        ASSERT_EQ(run("init").status, 0);
        CatalogueFixture fixture(dir_ / "data/chantal.db");
        fixture.set_latest("base", {{"bash", 0, "5.1.8", "6.el9"}, {"tzdata", 0, "2024a", "1.el9", "noarch"}});
        fixture.set_latest("extra", {{"zsh", 0, "5.8", "9.el9"}});
        ASSERT_EQ(run("snapshot create --repo-id base --name s1 --description first").status, 0);
        fixture.set_latest("base", {{"bash", 0, "5.2.15", "1.el9"}, {"vim, \"enhanced\"", 0, "9.0", "1"}});
        ASSERT_EQ(run("snapshot create --repo-id base --name s2").status, 0);
    }

    Outcome run(const std::string& arguments) {
        Outcome outcome;
        outcome.status = run_command("( " + std::string(CHANTAL_BINARY) + " --config " +
                                         (dir_ / "config.yaml").string() + " " + arguments + " 2>/dev/null )",
                                     &outcome.out);
        return outcome;
    }

    TempDir dir_;
};

}  // namespace

TEST_F(PythonFormsCli, SnapshotDiffPositional) {
    for (const std::string format : {"", "--format json "}) {
        const Outcome ours = run(format + "snapshot diff --repo-id base --from s1 --to s2");
        EXPECT_EQ(ours.status, 0) << ours;
        EXPECT_NE(ours.out.find("bash"), std::string::npos) << ours;
        EXPECT_EQ(run(format + "snapshot diff --repo-id base s1 s2"), ours);
        EXPECT_EQ(run(format + "snapshot diff s1 s2 --repo-id base"), ours);
    }
    EXPECT_EQ(run("snapshot diff --repo-id base s1 latest"), run("snapshot diff --repo-id base --from s1 --to latest"));
    // An unknown snapshot fails alike in both forms.
    const Outcome missing = run("snapshot diff --repo-id base --from s1 --to nope");
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(run("snapshot diff --repo-id base s1 nope"), missing);
    // Neither form, or both at once, is a usage error.
    EXPECT_EQ(run("snapshot diff --repo-id base s1").status, 2);
    EXPECT_EQ(run("snapshot diff --repo-id base --from s1 s1 s2").status, 2);
}

TEST_F(PythonFormsCli, SnapshotDeletePositional) {
    ASSERT_EQ(run("snapshot copy --repo-id base --source s1 --target gone").status, 0);
    const Outcome ours = run("--format json snapshot delete --repo-id base --name gone");
    EXPECT_EQ(ours.status, 0) << ours;
    EXPECT_NE(ours.out.find("gone"), std::string::npos) << ours;
    ASSERT_EQ(run("snapshot copy --repo-id base --source s1 --target gone").status, 0);
    EXPECT_EQ(run("--format json snapshot delete --repo-id base gone"), ours);
    // Deleting it again fails alike.
    const Outcome again = run("snapshot delete --repo-id base --name gone");
    EXPECT_EQ(again.status, 1);
    EXPECT_EQ(run("snapshot delete --repo-id base gone"), again);
    EXPECT_EQ(run("snapshot delete --repo-id base").status, 2);
    EXPECT_EQ(run("snapshot delete --repo-id base --name s1 s2").status, 2);
}

TEST_F(PythonFormsCli, SnapshotCopyDescription) {
    ASSERT_EQ(run("snapshot copy --repo-id base --source s1 --target kept").status, 0);
    ASSERT_EQ(run("snapshot copy --repo-id base --source s1 --target told --description 'promoted to prod'").status, 0);
    const auto kept = nlohmann::json::parse(run("--format json snapshot show --repo-id base --name kept").out);
    const auto told = nlohmann::json::parse(run("--format json snapshot show --repo-id base --name told").out);
    EXPECT_EQ(kept["description"], "first");
    EXPECT_EQ(told["description"], "promoted to prod");
    EXPECT_EQ(told["packages"], kept["packages"]);

    ASSERT_EQ(run("snapshot create --view all --name v1 --description view-one").status, 0);
    ASSERT_EQ(run("snapshot copy --view all --source v1 --target v2 --description 'view two'").status, 0);
    const auto view = nlohmann::json::parse(run("--format json snapshot show --view all --name v2").out);
    EXPECT_EQ(view["description"], "view two");
    const auto member = nlohmann::json::parse(run("--format json snapshot show --repo-id base --name all-v2").out);
    EXPECT_EQ(member["description"], "view two");
}

TEST_F(PythonFormsCli, SnapshotContentIsPackageList) {
    for (const std::string snapshot : {"s1", "s2", "latest"}) {
        const Outcome table = run("package list --repo-id base --snapshot " + snapshot);
        EXPECT_EQ(table.status, 0) << table;
        EXPECT_EQ(run("snapshot content --repo-id base --snapshot " + snapshot), table);
        EXPECT_EQ(run("snapshot content --repo-id base --snapshot " + snapshot + " --format table"), table);
        const Outcome json = run("--format json package list --repo-id base --snapshot " + snapshot);
        EXPECT_EQ(run("--format json snapshot content --repo-id base --snapshot " + snapshot), json);
        EXPECT_EQ(run("snapshot content --repo-id base --snapshot " + snapshot + " --format json"), json);
    }
    const Outcome missing = run("package list --repo-id base --snapshot nope");
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(run("snapshot content --repo-id base --snapshot nope"), missing);
    EXPECT_EQ(run("snapshot content --repo-id base --snapshot s1 --format xml").status, 2);
}

TEST_F(PythonFormsCli, SnapshotContentCsv) {
    const auto packages = nlohmann::json::parse(run("--format json package list --repo-id base --snapshot s2").out);
    const Outcome csv = run("snapshot content --repo-id base --snapshot s2 --format csv");
    ASSERT_EQ(csv.status, 0) << csv;
    // One header line, then one line per package with the JSON fields in order;
    // a field with a comma or a quote is quoted, the quote doubled.
    std::string expected = "name,epoch,version,release,arch,evr,filename,sha256,size,path,repo_id\r\n";
    auto field = [](const std::string& text) {
        if (text.find_first_of(",\"") == std::string::npos) return text;
        std::string quoted = "\"";
        for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        return quoted + "\"";
    };
    ASSERT_EQ(packages.size(), 2u);
    for (const auto& package : packages) {
        expected += field(package["name"]) + "," + std::to_string(package["epoch"].get<int>()) + "," +
                    package["version"].get<std::string>() + "," + package["release"].get<std::string>() + "," +
                    package["arch"].get<std::string>() + "," + package["evr"].get<std::string>() + "," +
                    field(package["filename"]) + "," + package["sha256"].get<std::string>() + "," +
                    std::to_string(package["size"].get<std::uint64_t>()) + "," + field(package["path"]) + "," +
                    package["repo_id"].get<std::string>() + "\r\n";
    }
    EXPECT_EQ(csv.out, expected);
    EXPECT_NE(csv.out.find("\"vim, \"\"enhanced\"\"\""), std::string::npos) << csv.out;
}

TEST_F(PythonFormsCli, ContentIsPackage) {
    for (const std::string format : {"", "--format json "}) {
        for (const std::string command : {"list --repo-id base", "list --view all --snapshot latest",
                                          "list --repo-id base --snapshot s1", "search bash", "search 'z*'",
                                          "show bash", "show no-such-package", "list --repo-id nope"}) {
            const Outcome ours = run(format + "package " + command);
            EXPECT_EQ(run(format + "content " + command), ours) << command;
        }
    }
    EXPECT_EQ(run("content").status, 2);
}

TEST_F(PythonFormsCli, RepoListType) {
    const Outcome all = run("--format json repo list");
    ASSERT_EQ(all.status, 0);
    EXPECT_EQ(nlohmann::json::parse(all.out).size(), 2u);
    EXPECT_EQ(run("--format json repo list --type rpm"), all);
    EXPECT_EQ(run("repo list --type rpm"), run("repo list"));
    EXPECT_EQ(nlohmann::json::parse(run("--format json repo list --type apt").out), nlohmann::json::array());
    EXPECT_EQ(run("repo list --type apt").status, 0);
    EXPECT_EQ(run("repo list --type yum").status, 2);
}
