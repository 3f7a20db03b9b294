#include "core/catalogue/catalogue_format.h"

#include <algorithm>

#include "core/base/error.h"

namespace chantal {
namespace {

const ReferenceKind kRepository{"repository", {"(SELECT repo_id FROM repositories WHERE id = $)"},
                                "SELECT id FROM repositories WHERE repo_id = ?1"};
const ReferenceKind kContent{"content", {"(SELECT sha256 FROM content_items WHERE id = $)"},
                             "SELECT id FROM content_items WHERE sha256 = ?1"};
const ReferenceKind kPackage{"package",
                             {"(SELECT checksum_type FROM packages WHERE id = $)",
                              "(SELECT checksum FROM packages WHERE id = $)"},
                             "SELECT id FROM packages WHERE checksum_type = ?1 AND checksum = ?2"};
const ReferenceKind kSnapshot{"snapshot",
                              {"(SELECT r.repo_id FROM snapshots s JOIN repositories r ON r.id = s.repository_id "
                               "WHERE s.id = $)",
                               "(SELECT name FROM snapshots WHERE id = $)"},
                              "SELECT s.id FROM snapshots s JOIN repositories r ON r.id = s.repository_id "
                              "WHERE r.repo_id = ?1 AND s.name = ?2"};
const ReferenceKind kView{"view", {"(SELECT name FROM views WHERE id = $)"}, "SELECT id FROM views WHERE name = ?1"};
const ReferenceKind kViewSnapshot{"view_snapshot",
                                  {"(SELECT v.name FROM view_snapshots s JOIN views v ON v.id = s.view_id WHERE s.id = $)",
                                   "(SELECT name FROM view_snapshots WHERE id = $)"},
                                  "SELECT s.id FROM view_snapshots s JOIN views v ON v.id = s.view_id "
                                  "WHERE v.name = ?1 AND s.name = ?2"};
const ReferenceKind kAdvisory{"advisory",
                              {"(SELECT advisory_id FROM advisories WHERE id = $)",
                               "(SELECT xml_sha256 FROM advisories WHERE id = $)"},
                              "SELECT id FROM advisories WHERE advisory_id = ?1 AND xml_sha256 = ?2"};

}  // namespace

const std::vector<CatalogueTableFormat>& catalogue_table_formats() {
    static const std::vector<CatalogueTableFormat> kTables{
        {"repositories", {}, {"repo_id"}},
        {"content_items", {}, {"sha256"}},
        {"packages", {{"content_id", &kContent}}, {"checksum_type", "checksum"}},
        {"package_metadata", {{"package_id", &kPackage}}, {"package_id"}},
        {"repository_contents",
         {{"repository_id", &kRepository}, {"content_id", &kContent}, {"package_id", &kPackage}},
         {"repository_id", "path"}},
        {"snapshots", {{"repository_id", &kRepository}}, {"repository_id", "name"}},
        {"snapshot_contents",
         {{"snapshot_id", &kSnapshot}, {"content_id", &kContent}, {"package_id", &kPackage}},
         {"snapshot_id", "path"}},
        {"views", {}, {"name"}},
        {"view_members", {{"view_id", &kView}, {"repository_id", &kRepository}}, {"view_id", "position", "repository_id"}},
        {"view_snapshots", {{"view_id", &kView}}, {"view_id", "name"}},
        {"view_snapshot_members",
         {{"view_snapshot_id", &kViewSnapshot}, {"snapshot_id", &kSnapshot}},
         {"view_snapshot_id", "position", "snapshot_id"}},
        {"sync_history", {{"repository_id", &kRepository}}, {"repository_id", "started_at"}},
        {"generated_metadata", {{"content_id", &kContent}}, {"tree_digest", "metadata_type"}},
        {"retired_tree_files", {{"content_id", &kContent}}, {"tree_path", "path", "content_id"}},
        {"latest_generated_digests", {}, {"tree_path"}},
        {"advisories", {}, {"advisory_id", "xml_sha256"}},
        {"advisory_references",
         {{"advisory_row", &kAdvisory}},
         {"advisory_row", "type", "reference_id", "href", "title"}},
        {"advisory_packages",
         {{"advisory_row", &kAdvisory}},
         {"advisory_row", "name", "epoch", "version", "release", "arch", "filename"}},
        {"updateinfo_advisories", {{"content_id", &kContent}, {"advisory_row", &kAdvisory}}, {"content_id", "advisory_row"}},
    };
    return kTables;
}

std::vector<LiveColumn> live_columns(Database& database, const std::string& table) {
    std::vector<LiveColumn> columns;
    Statement info(database, "SELECT name, type, \"notnull\", dflt_value IS NOT NULL FROM pragma_table_info(?1) ORDER BY cid");
    info.bind(1, table);
    while (info.step()) columns.push_back({info.column_text(0), info.column_text(1), info.column_int(2) != 0, info.column_int(3) != 0});
    if (columns.empty()) throw Error::internal("catalogue has no table '" + table + "'");
    return columns;
}

void check_all_tables_covered(Database& database) {
    const auto& formats = catalogue_table_formats();
    Statement tables(database,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (tables.step()) {
        const std::string name = tables.column_text(0);
        if (std::none_of(formats.begin(), formats.end(), [&](const auto& format) { return format.name == name; }))
            throw Error::internal("catalogue table '" + name + "' is not covered by the export format");
    }
}

}  // namespace chantal
