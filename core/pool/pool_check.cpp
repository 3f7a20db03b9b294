#include "core/pool/pool_check.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/base/error.h"
#include "core/base/hash.h"

namespace chantal {

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

std::optional<BadContent> check_pool_file(const Pool& pool, const ContentRow& content, bool checksums) {
    BadContent bad;
    static_cast<ContentRow&>(bad) = content;  // the row as catalogued
    if (!is_pool_name(content.sha256, content.filename)) {
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

PoolCheck check_pool_files(Database& database, const Pool& pool, std::string_view content_ids_sql, bool checksums,
                           const VerifyProgressCallback& progress) {
    const std::string where = content_ids_sql.empty() ? "" : " WHERE id IN (" + std::string(content_ids_sql) + ")";
    PoolCheck check;
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
        Statement items(database,
                        "SELECT " + std::string(kContentRowColumns) + " FROM content_items" + where + " ORDER BY sha256");
        while (items.step()) {
            const ContentRow content = content_row_at(items);
            if (auto bad = check_pool_file(pool, content, checksums)) {
                bad->holders = holders.find(content.id);
                check.bad_content.push_back(std::move(*bad));
            }
            ++done.files_done;
            done.bytes_done += content.size;
            if (progress) progress(done);
        }
    }
    check.content_checked = done.files_done;
    check.bytes_checked = done.bytes_done;
    // The scan reads one catalogue state; a `pool cleanup` that committed
    // meanwhile deletes rows before their files, so a file missing from the
    // pool whose row is gone by now was removed, not lost.
    Statement still_catalogued(database, "SELECT 1 FROM content_items WHERE sha256 = ?1 AND filename = ?2");
    std::erase_if(check.bad_content, [&](const BadContent& bad) {
        if (bad.problem != ContentProblem::missing) return false;
        still_catalogued.bind(1, bad.sha256).bind(2, bad.filename);
        const bool present = still_catalogued.step();
        still_catalogued.reset();
        return !present;
    });
    return check;
}

}  // namespace chantal
