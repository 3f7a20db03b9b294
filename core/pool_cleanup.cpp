#include "core/pool_cleanup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/content_references.h"
#include "core/error.h"
#include "core/file_util.h"

namespace chantal {
namespace fs = std::filesystem;
namespace {

struct Candidate {
    RemovedPoolFile file;
    std::optional<std::int64_t> content_id;  // its content_items row, if any
    bool file_present = true;                // false: a row whose file is already gone
};

// What the catalogue says about one pool file, read with a reused statement.
class CatalogueLookup {
public:
    explicit CatalogueLookup(Database& database)
        : statement_(database, "SELECT i.id, i.added_at, " + content_is_referenced_sql("i.id") +
                                   " FROM content_items i WHERE i.sha256 = ?1 AND i.filename = ?2") {}

    struct Row {
        std::int64_t id = 0;
        std::int64_t added_at = 0;
        bool referenced = false;
    };
    std::optional<Row> find(std::string_view sha256, std::string_view filename) {
        statement_.bind(1, sha256).bind(2, filename);
        std::optional<Row> row;
        if (statement_.step())
            row = Row{statement_.column_int64(0), statement_.column_int64(1), statement_.column_int64(2) != 0};
        statement_.reset();
        return row;
    }

private:
    Statement statement_;
};

// Files removal must not touch: referenced, or too young (file or row).
bool is_removable(const std::optional<CatalogueLookup::Row>& row, std::int64_t modified, std::int64_t cutoff) {
    if (row && (row->referenced || row->added_at >= cutoff)) return false;
    return modified < cutoff;
}

void find_running_sync(Database& database, const Pool& pool, PoolCleanupReport& report) {
    for (RunningSync& sync : running_syncs(database, pool.temp_root())) {
        if (!sync.live) {
            report.stale_syncs.push_back(std::move(sync));
            continue;
        }
        if (report.running_sync_repo) continue;  // the oldest live one decides
        report.running_sync_repo = sync.repo_id;
        report.running_sync_started_at = sync.started_at;
        if (sync.started_at < report.cutoff) report.cutoff = sync.started_at;
    }
}

// sync-*.lock (sync_lock_path), at the top of the temp directory.
bool is_sync_lock_file(const fs::recursive_directory_iterator& it) {
    const std::string name = it->path().filename().string();
    return it.depth() == 0 && name.starts_with("sync-") && name.ends_with(".lock");
}

std::vector<Candidate> find_candidates(Database& database, const Pool& pool, PoolCleanupReport& report) {
    std::vector<Candidate> candidates;
    CatalogueLookup lookup(database);
    pool.for_each_file([&](std::string_view sha256, std::string_view filename, const fs::path& path,
                           std::uint64_t size, std::int64_t modified) {
        const auto row = lookup.find(sha256, filename);
        if (row && row->referenced) return;
        if (!is_removable(row, modified, report.cutoff)) {
            ++report.kept_recent_files;
            report.kept_recent_bytes += size;
            return;
        }
        Candidate candidate;
        candidate.file = {std::string(sha256), std::string(filename), path, size, row.has_value()};
        if (row) candidate.content_id = row->id;
        candidates.push_back(std::move(candidate));
    });
    // Unreferenced rows whose file is already gone: only the rows go.
    Statement rows(database, "SELECT i.id, i.sha256, i.filename, i.size FROM content_items i WHERE i.added_at < ?1 AND NOT " +
                                 content_is_referenced_sql("i.id") + " ORDER BY i.sha256");
    rows.bind(1, report.cutoff);
    while (rows.step()) {
        Candidate candidate;
        candidate.content_id = rows.column_int64(0);
        candidate.file = {rows.column_text(1), rows.column_text(2), {}, static_cast<std::uint64_t>(rows.column_int64(3)),
                          true};
        try {
            candidate.file.path = pool.path_for(candidate.file.sha256, candidate.file.filename);
        } catch (const Error&) {
            // A row that cannot name a pool file has no file to remove.
        }
        struct stat status {};
        if (!candidate.file.path.empty() && ::lstat(candidate.file.path.c_str(), &status) == 0) continue;  // seen above
        candidate.file_present = false;
        candidates.push_back(std::move(candidate));
    }
    return candidates;
}

void count_as_removed(const Candidate& candidate, PoolCleanupReport& report) {
    if (candidate.content_id) ++report.content_rows_removed;
    if (!candidate.file_present) return;
    report.removed_bytes += candidate.file.size;
    report.removed_files.push_back(candidate.file);
}

void report_dry_run(Database& database, const std::vector<Candidate>& candidates, PoolCleanupReport& report) {
    Statement packages(database, "SELECT count(*) FROM packages WHERE content_id = ?1");
    for (const auto& candidate : candidates) {
        count_as_removed(candidate, report);
        if (!candidate.content_id) continue;
        packages.bind(1, *candidate.content_id);
        if (packages.step()) report.packages_detached += packages.column_int64(0);
        packages.reset();
    }
}

// Under the write lock: re-check each candidate, remove its file, then its rows.
void remove_candidates(Database& database, const std::vector<Candidate>& candidates, PoolCleanupReport& report) {
    Transaction transaction(database);
    CatalogueLookup lookup(database);
    Statement detach(database, "UPDATE packages SET content_id = NULL WHERE content_id = ?1");
    Statement remove_row(database, "DELETE FROM content_items WHERE id = ?1");
    for (const auto& candidate : candidates) {
        const auto row = lookup.find(candidate.file.sha256, candidate.file.filename);
        // Catalogued, referenced or re-added meanwhile: keep.
        if (row.has_value() != candidate.content_id.has_value()) continue;
        if (row && (row->id != *candidate.content_id || row->referenced || row->added_at >= report.cutoff)) continue;
        bool file_present = false;
        if (!candidate.file.path.empty()) {
            struct stat status {};
            if (::lstat(candidate.file.path.c_str(), &status) == 0) {
                if (status.st_mtime >= report.cutoff) continue;  // touched meanwhile
                if (::unlink(candidate.file.path.c_str()) != 0 && errno != ENOENT) {
                    report.warnings.push_back("cannot remove " + candidate.file.path.string() + ": " +
                                              std::strerror(errno));
                    continue;
                }
                file_present = true;
            }
        }
        if (candidate.content_id) {
            detach.bind(1, *candidate.content_id).run();
            report.packages_detached += database.changes();
            remove_row.bind(1, *candidate.content_id).run();
        }
        Candidate removed = candidate;
        removed.file_present = file_present;
        count_as_removed(removed, report);
    }
    transaction.commit();
}

void clean_temp_files(const Pool& pool, bool dry_run, PoolCleanupReport& report) {
    std::error_code error;
    for (fs::recursive_directory_iterator it(pool.temp_root(), error), end; !error && it != end; it.increment(error)) {
        struct stat status {};
        if (::lstat(it->path().c_str(), &status) != 0 || !S_ISREG(status.st_mode)) continue;
        if (status.st_mtime >= report.cutoff || is_sync_lock_file(it)) continue;
        if (!dry_run && ::unlink(it->path().c_str()) != 0) {
            if (errno != ENOENT)
                report.warnings.push_back("cannot remove " + it->path().string() + ": " + std::strerror(errno));
            continue;
        }
        report.removed_temp_files.push_back(it->path());
        report.removed_temp_bytes += static_cast<std::uint64_t>(status.st_size);
    }
    if (error) throw Error::io("cannot walk temp directory " + pool.temp_root().string(), error.value());
}

}  // namespace

PoolCleanupReport clean_pool(Database& database, const Pool& pool, const PoolCleanupOptions& options) {
    PoolCleanupReport report;
    report.dry_run = options.dry_run;
    report.cutoff = options.now.value_or(unix_time_now()) - options.grace_period.count();
    find_running_sync(database, pool, report);
    const std::vector<Candidate> candidates = find_candidates(database, pool, report);
    if (options.dry_run)
        report_dry_run(database, candidates, report);
    else if (!candidates.empty())
        remove_candidates(database, candidates, report);
    clean_temp_files(pool, options.dry_run, report);
    return report;
}

}  // namespace chantal
