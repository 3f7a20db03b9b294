#include "core/tree/errata_query.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "core/pool/content_records.h"

namespace chantal {
namespace {

// "updated" is optional upstream; fall back to "issued" for ordering.
std::string revision_date(const TreeAdvisory& advisory) {
    return advisory.updated.empty() ? advisory.issued : advisory.updated;
}

std::vector<AdvisoryPackageRef> advisory_packages(Statement& query, std::int64_t row) {
    std::vector<AdvisoryPackageRef> packages;
    query.bind(1, row);
    while (query.step())
        packages.push_back({query.column_text(0), static_cast<std::uint64_t>(query.column_int64(1)), query.column_text(2),
                            query.column_text(3), query.column_text(4), query.column_text(5)});
    query.reset();
    return packages;
}

std::vector<std::string> advisory_cves(Statement& query, std::int64_t row) {
    std::set<std::string> cves;
    query.bind(1, row);
    while (query.step()) cves.insert(query.column_text(0));
    query.reset();
    return {cves.begin(), cves.end()};
}

}  // namespace

bool has_updateinfo(Database& database, const TreeContents& contents) {
    for (const auto& rows : contents.metadata_rows(database))
        for (const auto& row : rows)
            if (row.metadata_type == "updateinfo") return true;
    return false;
}

std::string AdvisoryPackageRef::key() const {
    return name + "|" + std::to_string(epoch) + "|" + version + "|" + release + "|" + arch;
}

std::vector<std::string> tree_package_keys(Database& database, const TreeContents& contents) {
    Statement query = database.prepare("SELECT name, epoch, version, release, arch FROM packages WHERE id = ?1");
    std::vector<std::string> keys;
    contents.for_each_package(database, [&](const TreePackageRow& package) {
        query.bind(1, package.package_id);
        if (query.step())
            keys.push_back(query.column_text(0) + "|" + std::to_string(query.column_int64(1)) + "|" +
                           query.column_text(2) + "|" + query.column_text(3) + "|" + query.column_text(4));
        query.reset();
    });
    return keys;
}

std::vector<TreeAdvisory> tree_advisories(Database& database, const TreeContents& contents) {
    if (!has_updateinfo(database, contents)) return {};
    const auto keys = tree_package_keys(database, contents);
    return tree_advisories(database, contents, std::unordered_set<std::string>(keys.begin(), keys.end()));
}

std::vector<TreeAdvisory> tree_advisories(Database& database, const TreeContents& contents,
                                          const std::unordered_set<std::string>& in_tree) {
    // The updateinfo files of the tree's sources, in source order.
    ContentRecorder contents_table(database);
    std::vector<std::int64_t> updateinfo_files;
    for (const auto& rows : contents.metadata_rows(database))
        for (const auto& row : rows)
            if (row.metadata_type == "updateinfo")
                if (auto content = contents_table.find(row.file.sha256)) updateinfo_files.push_back(content->id);
    if (updateinfo_files.empty()) return {};

    Statement revisions = database.prepare(
        "SELECT a.id, a.advisory_id, a.type, a.severity, a.status, a.issued, a.updated, a.title "
        "FROM updateinfo_advisories u JOIN advisories a ON a.id = u.advisory_row WHERE u.content_id = ?1");
    Statement packages = database.prepare(
        "SELECT name, epoch, version, release, arch, filename FROM advisory_packages WHERE advisory_row = ?1 "
        "ORDER BY name, epoch, version, release, arch");
    Statement cves = database.prepare(
        "SELECT reference_id FROM advisory_references WHERE advisory_row = ?1 AND type = 'cve'");

    std::map<std::string, TreeAdvisory> merged;
    for (std::int64_t file : updateinfo_files) {
        revisions.bind(1, file);
        while (revisions.step()) {
            TreeAdvisory revision;
            revision.row = revisions.column_int64(0);
            revision.id = revisions.column_text(1);
            revision.type = revisions.column_text(2);
            revision.severity = revisions.column_text(3);
            revision.status = revisions.column_text(4);
            revision.issued = revisions.column_text(5);
            revision.updated = revisions.column_text(6);
            revision.title = revisions.column_text(7);
            revision.packages = advisory_packages(packages, revision.row);
            auto [it, inserted] = merged.emplace(revision.id, revision);
            if (inserted) {
                it->second.cves = advisory_cves(cves, revision.row);
                continue;
            }
            TreeAdvisory& kept = it->second;
            std::vector<AdvisoryPackageRef> united = kept.packages;
            for (auto& package : revision.packages)
                if (std::find(united.begin(), united.end(), package) == united.end()) united.push_back(package);
            if (revision_date(revision) > revision_date(kept) ||
                (revision_date(revision) == revision_date(kept) && revision.row > kept.row)) {
                kept = revision;
                kept.cves = advisory_cves(cves, revision.row);
            }
            kept.packages = std::move(united);
        }
        revisions.reset();
    }

    std::vector<TreeAdvisory> result;
    for (auto& [id, advisory] : merged) {
        for (const auto& package : advisory.packages)
            if (in_tree.count(package.key())) advisory.in_tree.push_back(package);
        if (!advisory.in_tree.empty()) result.push_back(std::move(advisory));
    }
    return result;
}

std::string advisory_update_xml(Database& database, std::int64_t advisory_row) {
    Statement query = database.prepare("SELECT update_xml FROM advisories WHERE id = ?1");
    query.bind(1, advisory_row);
    return query.step() ? query.column_text(0) : std::string();
}

std::optional<AdvisoryDetails> find_advisory(Database& database, const std::string& advisory_id) {
    Statement query = database.prepare(
        "SELECT id, advisory_id, type, severity, status, issued, updated, title, summary, description "
        "FROM advisories WHERE advisory_id = ?1 "
        "ORDER BY CASE updated WHEN '' THEN issued ELSE updated END DESC, id DESC LIMIT 1");
    query.bind(1, advisory_id);
    if (!query.step()) return std::nullopt;
    AdvisoryDetails details;
    TreeAdvisory& advisory = details.advisory;
    advisory.row = query.column_int64(0);
    advisory.id = query.column_text(1);
    advisory.type = query.column_text(2);
    advisory.severity = query.column_text(3);
    advisory.status = query.column_text(4);
    advisory.issued = query.column_text(5);
    advisory.updated = query.column_text(6);
    advisory.title = query.column_text(7);
    details.summary = query.column_text(8);
    details.description = query.column_text(9);
    Statement packages = database.prepare(
        "SELECT name, epoch, version, release, arch, filename FROM advisory_packages WHERE advisory_row = ?1 "
        "ORDER BY name, epoch, version, release, arch");
    advisory.packages = advisory_packages(packages, advisory.row);
    Statement references = database.prepare(
        "SELECT type, reference_id, href, title FROM advisory_references WHERE advisory_row = ?1 ORDER BY type, reference_id");
    references.bind(1, advisory.row);
    while (references.step()) {
        details.references.push_back(
            {references.column_text(0), references.column_text(1), references.column_text(2), references.column_text(3)});
        if (references.column_text(0) == "cve") advisory.cves.push_back(references.column_text(1));
    }
    Statement holders = database.prepare(
        "SELECT DISTINCT r.repo_id FROM advisories a JOIN updateinfo_advisories u ON u.advisory_row = a.id "
        "JOIN content_items c ON c.id = u.content_id "
        "JOIN (SELECT repository_id, content_id FROM repository_contents WHERE metadata_type = 'updateinfo' "
        "      UNION SELECT s.repository_id, sc.content_id FROM snapshot_contents sc JOIN snapshots s ON s.id = sc.snapshot_id "
        "      WHERE sc.metadata_type = 'updateinfo') t ON t.content_id = c.id "
        "JOIN repositories r ON r.id = t.repository_id WHERE a.advisory_id = ?1 ORDER BY r.repo_id");
    holders.bind(1, advisory_id);
    while (holders.step()) details.repositories.push_back(holders.column_text(0));
    return details;
}

AdvisoryVocabulary advisory_vocabulary(Database& database) {
    AdvisoryVocabulary vocabulary;
    Statement query = database.prepare(
        "SELECT DISTINCT lower(type), lower(severity) FROM advisories WHERE type <> '' OR severity <> ''");
    while (query.step()) {
        if (auto type = query.column_text(0); !type.empty()) vocabulary.types.insert(std::move(type));
        if (auto severity = query.column_text(1); !severity.empty()) vocabulary.severities.insert(std::move(severity));
    }
    return vocabulary;
}

}  // namespace chantal
