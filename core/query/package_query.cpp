#include "core/query/package_query.h"

#include <algorithm>
#include <cctype>

#include "core/base/error.h"
#include "core/tree/package_format.h"
#include "core/tree/tree_packages.h"
#include "core/tree/view_packages.h"

namespace chantal {
namespace {

const char* const kDetailColumns =
    "p.id, p.name, p.epoch, p.version, p.release, p.arch, p.checksum_type, p.checksum, c.sha256, c.filename, "
    "p.size_package, p.size_installed, p.time_build, p.sourcerpm, p.summary, p.license, p.vendor, p.package_group, "
    "p.location_href, p.content_id, p.format";

struct FoundPackage {
    PackageDetails details;
    std::optional<std::int64_t> content_id;
};

FoundPackage read_details(const Statement& row) {
    FoundPackage found;
    PackageDetails& details = found.details;
    details.package_id = row.column_int64(0);
    details.name = row.column_text(1);
    details.epoch = static_cast<std::uint64_t>(row.column_int64(2));
    details.version = row.column_text(3);
    details.release = row.column_text(4);
    details.arch = row.column_text(5);
    details.checksum_type = row.column_text(6);
    details.checksum = row.column_text(7);
    details.sha256 = row.column_optional_text(8);
    details.filename = row.column_optional_text(9);
    details.size_package = static_cast<std::uint64_t>(row.column_int64(10));
    details.size_installed = static_cast<std::uint64_t>(row.column_int64(11));
    details.time_build = row.column_int64(12);
    details.sourcerpm = row.column_text(13);
    details.summary = row.column_text(14);
    details.license = row.column_text(15);
    details.vendor = row.column_text(16);
    details.group = row.column_text(17);
    details.location_href = row.column_text(18);
    found.content_id = row.column_optional_int64(19);
    found.details.format = row.column_text(20);
    return found;
}

bool looks_like_sha256(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::vector<FoundPackage> query_details(Database& database, const std::string& where, std::string_view value) {
    Statement rows = database.prepare(std::string("SELECT ") + kDetailColumns +
                                      " FROM packages p LEFT JOIN content_items c ON c.id = p.content_id WHERE " + where);
    rows.bind(1, value);
    std::vector<FoundPackage> found;
    while (rows.step()) found.push_back(read_details(rows));
    return found;
}

// Views (latest or snapshots) that serve this very file: a member holds it
// and no earlier member shadows it.
void add_view_holders(Database& database, const FoundPackage& found, std::vector<PackageHolder>& holders) {
    if (!found.content_id || !found.details.filename) return;
    // The path under which the view tree serves this very file, if it does.
    auto served_path = [&](const TreeAddress& tree) -> std::optional<std::string> {
        auto served = find_view_package(database, tree, *found.details.filename);
        if (!served || served->content_id != *found.content_id) return std::nullopt;
        return served->path;
    };
    Statement latest = database.prepare(
        "SELECT DISTINCT v.name FROM view_members m JOIN views v ON v.id = m.view_id "
        "WHERE m.repository_id IN (SELECT repository_id FROM repository_contents WHERE package_id = ?1) ORDER BY v.name");
    latest.bind(1, found.details.package_id);
    while (latest.step()) {
        auto tree = TreeAddress::view_latest(latest.column_text(0));
        if (auto path = served_path(tree)) holders.push_back({std::move(tree), std::move(*path)});
    }
    Statement snapshots = database.prepare(
        "SELECT DISTINCT v.name, vs.name FROM view_snapshot_members vm "
        "JOIN view_snapshots vs ON vs.id = vm.view_snapshot_id JOIN views v ON v.id = vs.view_id "
        "WHERE vm.snapshot_id IN (SELECT snapshot_id FROM snapshot_contents WHERE package_id = ?1) ORDER BY v.name, vs.name");
    snapshots.bind(1, found.details.package_id);
    while (snapshots.step()) {
        auto tree = TreeAddress::view_snapshot(snapshots.column_text(0), snapshots.column_text(1));
        if (auto path = served_path(tree)) holders.push_back({std::move(tree), std::move(*path)});
    }
}

std::vector<PackageHolder> holders_of(Database& database, const FoundPackage& found) {
    std::vector<PackageHolder> holders;
    Statement latest = database.prepare(
        "SELECT r.repo_id, t.path FROM repository_contents t JOIN repositories r ON r.id = t.repository_id "
        "WHERE t.package_id = ?1 ORDER BY r.repo_id, t.path");
    latest.bind(1, found.details.package_id);
    while (latest.step())
        holders.push_back({TreeAddress::repo_latest(latest.column_text(0)), latest.column_text(1)});
    Statement snapshots = database.prepare(
        "SELECT r.repo_id, s.name, t.path FROM snapshot_contents t JOIN snapshots s ON s.id = t.snapshot_id "
        "JOIN repositories r ON r.id = s.repository_id WHERE t.package_id = ?1 ORDER BY r.repo_id, s.name, t.path");
    snapshots.bind(1, found.details.package_id);
    while (snapshots.step())
        holders.push_back({TreeAddress::repo_snapshot(snapshots.column_text(0), snapshots.column_text(1)),
                           snapshots.column_text(2)});
    add_view_holders(database, found, holders);
    return holders;
}

}  // namespace

std::string PackageDetails::full_name() const {
    return package_format(format).package_full_name(name, {epoch, version, release}, arch);
}

std::string_view PackageDetails::source_package_label() const { return package_format(format).source_package_label(); }

std::vector<PackageDetails> find_packages(Database& database, std::string_view sha256_or_name) {
    std::vector<FoundPackage> found;
    if (looks_like_sha256(sha256_or_name)) {
        std::string lower(sha256_or_name);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        found = query_details(database, "c.sha256 = ?1 OR p.checksum = ?1", lower);
    }
    if (found.empty()) found = query_details(database, "p.name = ?1", sha256_or_name);
    if (found.empty()) found = query_details(database, "c.filename = ?1", sha256_or_name);
    if (found.empty())
        throw Error::not_found("no package with name, file name or SHA-256 '" + std::string(sha256_or_name) +
                               "' in the catalogue");
    std::sort(found.begin(), found.end(),
              [](const FoundPackage& left, const FoundPackage& right) { return package_less(left.details, right.details); });
    std::vector<PackageDetails> packages;
    for (auto& item : found) {
        item.details.holders = holders_of(database, item);
        packages.push_back(std::move(item.details));
    }
    return packages;
}

bool is_glob_query(std::string_view query) { return query.find_first_of("*?[") != std::string_view::npos; }

std::vector<PackageSearchHit> search_packages(Database& database, std::string_view query, std::size_t limit) {
    if (query.empty()) throw Error::invalid_input("search query must not be empty");
    const std::string match = is_glob_query(query) ? "p.name GLOB ?1" : "instr(lower(p.name), lower(?1)) > 0";
    Statement rows = database.prepare(
        "SELECT p.id, p.name, p.epoch, p.version, p.release, p.arch, p.format, "
        "(SELECT group_concat(repo_id, ' ') FROM (SELECT DISTINCT r.repo_id FROM repository_contents t "
        "  JOIN repositories r ON r.id = t.repository_id WHERE t.package_id = p.id ORDER BY r.repo_id)), "
        "(SELECT count(DISTINCT t.snapshot_id) FROM snapshot_contents t WHERE t.package_id = p.id) AS snapshots "
        "FROM packages p WHERE " + match);
    rows.bind(1, query);
    struct Row {
        PackageSearchHit hit;
        std::string format;
        std::uint64_t epoch;
        std::string version, release;
    };
    std::vector<Row> found;
    while (rows.step()) {
        const std::string repositories = rows.column_text(7);
        const std::int64_t snapshot_count = rows.column_int64(8);
        if (repositories.empty() && snapshot_count == 0) continue;  // catalogued but held nowhere
        Row row;
        row.hit.package_id = rows.column_int64(0);
        row.hit.name = rows.column_text(1);
        row.epoch = static_cast<std::uint64_t>(rows.column_int64(2));
        row.version = rows.column_text(3);
        row.release = rows.column_text(4);
        row.hit.arch = rows.column_text(5);
        row.format = rows.column_text(6);
        row.hit.evr = format_evr(row.epoch, row.version, row.release);
        for (std::size_t start = 0; start < repositories.size();) {
            std::size_t end = repositories.find(' ', start);
            if (end == std::string::npos) end = repositories.size();
            row.hit.repositories.push_back(repositories.substr(start, end - start));
            start = end + 1;
        }
        row.hit.snapshot_count = snapshot_count;
        found.push_back(std::move(row));
    }
    std::sort(found.begin(), found.end(), [](const Row& left, const Row& right) {
        if (left.hit.name != right.hit.name) return left.hit.name < right.hit.name;
        if (left.hit.arch != right.hit.arch) return left.hit.arch < right.hit.arch;
        return compare_package_versions(left, right) < 0;
    });
    std::vector<PackageSearchHit> hits;
    for (auto& row : found) {
        if (limit && hits.size() >= limit) break;
        hits.push_back(std::move(row.hit));
    }
    return hits;
}

}  // namespace chantal
