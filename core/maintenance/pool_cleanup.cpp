#include "core/maintenance/pool_cleanup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/content_references.h"
#include "core/sync/sync_lock.h"
#include "core/tree/retired_files.h"

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
        // A row that cannot name a pool file has no file to remove.
        if (is_pool_name(candidate.file.sha256, candidate.file.filename))
            candidate.file.path = pool.path_for(candidate.file.sha256, candidate.file.filename);
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

// Rows before files, so that an interruption at any point (kill -9) leaves a
// catalogue `db verify` accepts: at worst pool files without rows, which the
// next cleanup removes. First, in one transaction, each candidate is
// re-checked and its rows go; then, under the write lock again (so no writer
// can record the same content meanwhile), the files of rows that are still
// gone are unlinked.
void remove_candidates(Database& database, const std::vector<Candidate>& candidates, PoolCleanupReport& report) {
    std::vector<const Candidate*> rows_removed;
    {
        Transaction transaction(database);
        CatalogueLookup lookup(database);
        Statement detach(database, "UPDATE packages SET content_id = NULL WHERE content_id = ?1");
        Statement remove_row(database, "DELETE FROM content_items WHERE id = ?1");
        for (const auto& candidate : candidates) {
            const auto row = lookup.find(candidate.file.sha256, candidate.file.filename);
            // Catalogued, referenced or re-added meanwhile: keep.
            if (row.has_value() != candidate.content_id.has_value()) continue;
            if (row && (row->id != *candidate.content_id || row->referenced || row->added_at >= report.cutoff)) continue;
            struct stat status {};
            if (!candidate.file.path.empty() && ::lstat(candidate.file.path.c_str(), &status) == 0 &&
                status.st_mtime >= report.cutoff)
                continue;  // touched meanwhile: a sync is reusing it
            if (candidate.content_id) {
                detach.bind(1, *candidate.content_id).run();
                report.packages_detached += database.changes();
                remove_row.bind(1, *candidate.content_id).run();
                ++report.content_rows_removed;
            }
            rows_removed.push_back(&candidate);
        }
        transaction.commit();
    }
    Transaction transaction(database);
    CatalogueLookup lookup(database);
    for (const Candidate* candidate : rows_removed) {
        if (candidate->file.path.empty() || lookup.find(candidate->file.sha256, candidate->file.filename)) continue;
        struct stat status {};
        if (::lstat(candidate->file.path.c_str(), &status) != 0) continue;
        if (status.st_mtime >= report.cutoff) continue;  // touched meanwhile: a writer is about to record it
        if (::unlink(candidate->file.path.c_str()) != 0) {
            if (errno != ENOENT)
                report.warnings.push_back("cannot remove " + candidate->file.path.string() + ": " + std::strerror(errno));
            continue;
        }
        report.removed_bytes += candidate->file.size;
        report.removed_files.push_back(candidate->file);
    }
    transaction.commit();
}

// Files under temp_path that belong to a live process are never removed:
// lock files (a sync's is `sync-<repo>.lock`; removing one would let a second
// sync of the repo start) and everything in `sync-<repo>/` (partial
// downloads) while that repo's sync holds its lock, whatever their age.
bool belongs_to_running_sync(const Pool& pool, const fs::path& file) {
    if (file.extension() == ".lock") return true;
    const fs::path relative = file.lexically_relative(pool.temp_root());
    if (relative.empty() || relative.begin() == relative.end()) return false;
    const std::string top = relative.begin()->string();
    if (top == relative.string() || !top.starts_with("sync-")) return false;
    // A lock that cannot be examined counts as held: keeping a stale partial
    // file costs disk space, removing a live one fails the sync.
    return lock_is_held(sync_lock_path(pool.temp_root(), top.substr(sizeof("sync-") - 1))) != LockProbe::free;
}

void clean_temp_files(const Pool& pool, bool dry_run, PoolCleanupReport& report) {
    std::error_code error;
    for (fs::recursive_directory_iterator it(pool.temp_root(), error), end; !error && it != end; it.increment(error)) {
        struct stat status {};
        if (::lstat(it->path().c_str(), &status) != 0 || !S_ISREG(status.st_mode)) continue;
        if (status.st_mtime >= report.cutoff) continue;
        if (belongs_to_running_sync(pool, it->path())) continue;
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
    const std::int64_t now = options.now.value_or(unix_time_now());
    report.cutoff = now - options.grace_period.count();
    if (!options.dry_run) {
        Transaction transaction(database);
        report.retired_rows_forgotten = forget_retired_files(database, {}, now - options.retired_grace_period.count());
        transaction.commit();
    }
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
