#include "core/db_verify.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "core/error.h"
#include "core/hash.h"

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

std::optional<BadContent> check_pool_file(const Pool& pool, const ContentRow& content, bool checksums) {
    BadContent bad;
    bad.content_id = content.id;
    bad.sha256 = content.sha256;
    bad.filename = content.filename;
    bad.expected_size = content.size;
    if (!is_hex_digest(content.sha256, HashAlgorithm::sha256) || !is_safe_pool_filename(content.filename)) {
        bad.problem = ContentProblem::invalid_name;
        bad.detail = !is_hex_digest(content.sha256, HashAlgorithm::sha256)
                         ? "not a sha256 digest: '" + content.sha256.substr(0, 80) + "'"
                         : "unsafe file name for the pool: '" + content.filename.substr(0, 80) + "'";
        return bad;
    }
    bad.path = pool.path_for(content.sha256, content.filename);
    struct stat status {};
    if (::stat(bad.path.c_str(), &status) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            bad.problem = ContentProblem::missing;
        } else {
            bad.problem = ContentProblem::unreadable;
            bad.detail = std::strerror(errno);
        }
        return bad;
    }
    if (static_cast<std::uint64_t>(status.st_size) != content.size) {
        bad.problem = ContentProblem::wrong_size;
        bad.actual_size = static_cast<std::uint64_t>(status.st_size);
        return bad;
    }
    if (!checksums) return std::nullopt;
    try {
        if (hex_digest_of_file(HashAlgorithm::sha256, bad.path) == content.sha256) return std::nullopt;
        bad.problem = ContentProblem::wrong_checksum;
    } catch (const Error& error) {
        bad.problem = ContentProblem::unreadable;
        bad.detail = error.what();
    }
    return bad;
}

void verify_pool_files(Database& database, const Pool& pool, std::string_view content_ids_sql,
                       const VerifyOptions& options, const VerifyProgressCallback& progress, VerifyReport& report) {
    const std::string where = content_ids_sql.empty() ? "" : " WHERE id IN (" + std::string(content_ids_sql) + ")";
    VerifyProgress done;
    {
        Statement totals(database, "SELECT count(*), coalesce(sum(size), 0) FROM content_items" + where);
        totals.step();
        done.files_total = static_cast<std::uint64_t>(totals.column_int64(0));
        done.bytes_total = static_cast<std::uint64_t>(totals.column_int64(1));
    }
    if (progress) progress(done);
    {
        ContentHolderFinder holders(database);
        Statement items(database, "SELECT id, sha256, filename, size FROM content_items" + where + " ORDER BY sha256");
        while (items.step()) {
            const ContentRow content{items.column_int64(0), items.column_text(1), items.column_text(2),
                                     static_cast<std::uint64_t>(items.column_int64(3))};
            if (auto bad = check_pool_file(pool, content, options.checksums)) {
                bad->holders = holders.find(content.id);
                report.bad_content.push_back(std::move(*bad));
            }
            ++done.files_done;
            done.bytes_done += content.size;
            if (progress) progress(done);
        }
    }
    report.content_checked += done.files_done;
    report.bytes_checked += done.bytes_done;
    // The scan reads one catalogue state; a `pool cleanup` that committed
    // meanwhile deletes rows before their files, so a file missing from the
    // pool whose row is gone by now was removed, not lost.
    Statement still_catalogued(database, "SELECT 1 FROM content_items WHERE sha256 = ?1 AND filename = ?2");
    std::erase_if(report.bad_content, [&](const BadContent& bad) {
        if (bad.problem != ContentProblem::missing) return false;
        still_catalogued.bind(1, bad.sha256).bind(2, bad.filename);
        const bool present = still_catalogued.step();
        still_catalogued.reset();
        return !present;
    });
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
        try {
            record.path = pool.path_for(record.sha256, record.filename);
        } catch (const Error&) {
            // Reported as invalid_name by check_content_items.
        }
        report.unreferenced_content.push_back(std::move(record));
    }
}

}  // namespace

const char* content_problem_name(ContentProblem problem) {
    switch (problem) {
        case ContentProblem::missing: return "missing";
        case ContentProblem::wrong_size: return "wrong size";
        case ContentProblem::wrong_checksum: return "bad checksum";
        case ContentProblem::unreadable: return "unreadable";
        case ContentProblem::invalid_name: return "invalid name";
    }
    return "unknown";
}

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
