#include "core/maintenance/db_verify.h"

#include <map>
#include <vector>

#include "core/base/error.h"

namespace chantal {
namespace {

void check_integrity(Database& database, VerifyReport& report) {
    Statement integrity(database, "PRAGMA integrity_check");
    while (integrity.step()) {
        std::string line = integrity.column_text(0);
        if (line != "ok") report.integrity_errors.push_back(std::move(line));
    }
    Statement foreign_keys(database, "PRAGMA foreign_key_check");
    while (foreign_keys.step()) {
        const std::string table = foreign_keys.column_text(0);
        const auto row = foreign_keys.column_optional_int64(1);
        const std::string parent = foreign_keys.column_text(2);
        report.foreign_key_errors.push_back(table + (row ? " row " + std::to_string(*row) : std::string(" row")) +
                                            " references a missing " + parent + " row");
    }
}

}  // namespace

void verify_pool_files(Database& database, const Pool& pool, std::string_view content_ids_sql,
                       const VerifyOptions& options, const VerifyProgressCallback& progress, VerifyReport& report) {
    auto check = check_pool_files(database, pool, content_ids_sql, options.checksums, progress);
    report.content_checked += check.content_checked;
    report.bytes_checked += check.bytes_checked;
    for (auto& bad : check.bad_content) report.bad_content.push_back(std::move(bad));
}

namespace {

void find_uncatalogued_files(Database& database, const Pool& pool, VerifyReport& report) {
    Statement lookup(database, "SELECT 1 FROM content_items WHERE sha256 = ?1 AND filename = ?2");
    pool.for_each_file([&](std::string_view sha256, std::string_view filename, const std::filesystem::path& path,
                           std::uint64_t size, std::int64_t) {
        lookup.bind(1, sha256).bind(2, filename);
        const bool known = lookup.step();
        lookup.reset();
        if (!known) report.uncatalogued_files.push_back({std::string(sha256), std::string(filename), path, size});
    });
}

void find_unreferenced_content(Database& database, const Pool& pool, VerifyReport& report) {
    Statement unreferenced(database, "SELECT sha256, filename, size FROM content_items WHERE id NOT IN (" +
                                         std::string(kReferencedContentIdsSql) + ") ORDER BY sha256");
    while (unreferenced.step()) {
        PoolFileRecord record{unreferenced.column_text(0), unreferenced.column_text(1), {},
                              static_cast<std::uint64_t>(unreferenced.column_int64(2))};
        // A row that cannot name a pool file is reported as invalid_name by the pool check.
        if (is_pool_name(record.sha256, record.filename)) record.path = pool.path_for(record.sha256, record.filename);
        report.unreferenced_content.push_back(std::move(record));
    }
}

}  // namespace

std::string VerifyReport::summary() const {
    std::map<std::string, std::size_t> counts;
    if (!integrity_errors.empty()) counts["integrity errors"] = integrity_errors.size();
    if (!foreign_key_errors.empty()) counts["broken references"] = foreign_key_errors.size();
    for (const auto& bad : bad_content) ++counts[content_problem_name(bad.problem)];
    if (counts.empty()) return "no problems";
    std::size_t total = 0;
    std::string parts;
    for (const auto& [name, count] : counts) {
        total += count;
        parts += (parts.empty() ? "" : ", ") + std::to_string(count) + " " + name;
    }
    return std::to_string(total) + (total == 1 ? " problem: " : " problems: ") + parts;
}

VerifyReport verify_referenced_pool_files(Database& database, const Pool& pool, const VerifyProgressCallback& progress) {
    VerifyReport report;
    report.checksums = true;
    verify_pool_files(database, pool, kReferencedContentIdsSql, VerifyOptions{true}, progress, report);
    return report;
}

VerifyReport find_orphaned_pool_files(Database& database, const Pool& pool) {
    VerifyReport report;
    find_uncatalogued_files(database, pool, report);
    find_unreferenced_content(database, pool, report);
    return report;
}

VerifyReport find_missing_pool_files(Database& database, const Pool& pool, const VerifyProgressCallback& progress) {
    VerifyReport report;
    verify_pool_files(database, pool, "", VerifyOptions{false}, progress, report);
    std::erase_if(report.bad_content, [](const BadContent& bad) { return bad.problem != ContentProblem::missing; });
    return report;
}

VerifyReport verify_catalogue(Database& database, const Pool& pool, const VerifyOptions& options,
                              const VerifyProgressCallback& progress) {
    VerifyReport report;
    report.checksums = options.checksums;
    check_integrity(database, report);
    try {
        verify_pool_files(database, pool, "", options, progress, report);
        find_uncatalogued_files(database, pool, report);
        find_unreferenced_content(database, pool, report);
    } catch (const Error& error) {
        // A damaged catalogue may fail half-way; the integrity errors say why.
        if (report.integrity_errors.empty() || error.kind() != ErrorKind::corrupt) throw;
        report.integrity_errors.push_back(std::string("verification stopped: ") + error.what());
    }
    return report;
}

}  // namespace chantal
