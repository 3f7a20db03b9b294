// A catalogue, pool and config for upload_packages() tests (one per
// format: tests/unit/core/upload/), with one hosted repository (hosted_,
// id "internal", type rpm until a test sets it) and what its latest holds.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/catalogue/catalogue.h"
#include "core/catalogue/lookups.h"
#include "core/catalogue/tree_address.h"
#include "core/pool/pool.h"
#include "core/tree/tree_packages.h"
#include "core/upload/package_upload.h"
#include "support/temp_dir.h"

namespace chantal::test_support {

struct LatestRow {
    std::string path;
    std::string sha256;
    bool operator==(const LatestRow&) const = default;
};

class UploadFixture : public ::testing::Test {
protected:
    UploadFixture()
        : catalogue_(Catalogue::open(dir_ / "catalogue.db", Catalogue::Mode::create)), pool_(dir_ / "pool", dir_ / "tmp") {
        hosted_.id = "internal";
        hosted_.mode = RepositoryMode::hosted;
    }

    Database& database() { return catalogue_.database(); }

    UploadReport upload(const std::vector<std::filesystem::path>& files, bool force = false,
                        const std::string& component = "") {
        return upload_packages(config_, hosted_, database(), pool_, files, UploadOptions{force, component});
    }

    // Latest's packages by path; none while the repository has no latest.
    std::vector<LatestRow> latest() {
        std::vector<LatestRow> rows;
        const auto row = find_repository_row(database(), hosted_.id);
        if (!row || !has_latest(database(), *row)) return rows;
        for (const TreePackage& package : list_tree_packages(database(), TreeAddress::repo_latest(hosted_.id)))
            rows.push_back({package.path, package.sha256});
        return rows;
    }

    std::int64_t count(const std::string& table) { return database().query_int64("SELECT count(*) FROM " + table); }

    std::int64_t latest_changed_at() {
        Statement query = database().prepare("SELECT coalesce(latest_changed_at, 0) FROM repositories WHERE repo_id = ?1");
        query.bind(1, hosted_.id);
        return query.step() ? query.column_int64(0) : 0;
    }

    // Expects an upload of `files` into `repository` to be refused with
    // `kind`, its message holding `named` and `message`, and to change
    // nothing (latest, packages, content items, the change time).
    void expect_refused(const RepositoryConfig& repository, const std::vector<std::filesystem::path>& files,
                        const UploadOptions& options, ErrorKind kind, const std::string& named,
                        const std::string& message) {
        const auto before = latest();
        const std::int64_t packages = count("packages");
        const std::int64_t contents = count("content_items");
        const std::int64_t changed_at = latest_changed_at();
        try {
            upload_packages(config_, repository, database(), pool_, files, options);
            ADD_FAILURE() << "accepted " << named;
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), kind) << error.what();
            EXPECT_NE(std::string(error.what()).find(named), std::string::npos) << error.what();
            EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
        }
        EXPECT_EQ(latest(), before);
        EXPECT_EQ(count("packages"), packages);
        EXPECT_EQ(count("content_items"), contents);
        EXPECT_EQ(latest_changed_at(), changed_at);
    }
    void expect_refused(const std::vector<std::filesystem::path>& files, ErrorKind kind, const std::string& named,
                        const std::string& message, bool force = false) {
        expect_refused(hosted_, files, UploadOptions{force, ""}, kind, named, message);
    }

    TempDir dir_;
    Catalogue catalogue_;
    Pool pool_;
    Config config_;
    RepositoryConfig hosted_;
};

}  // namespace chantal::test_support
