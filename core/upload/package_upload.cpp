#include "core/upload/package_upload.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/lookups.h"
#include "core/catalogue/repository_records.h"
#include "core/pool/content_records.h"
#include "core/sync/latest_switch.h"
#include "core/sync/sync_lock.h"
#include "core/tree/package_format.h"
#include "core/upload/package_file.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;

// One entry of the current latest, with its package's identity.
struct CurrentEntry {
    LatestEntry entry;
    std::optional<PackageIdentity> identity;
    std::string sha256;  // of the file (content_items)
};

std::vector<CurrentEntry> current_latest(Database& database, std::optional<std::int64_t> repository_row) {
    std::vector<CurrentEntry> entries;
    if (!repository_row) return entries;
    Statement query = database.prepare(
        "SELECT rc.path, rc.content_id, rc.package_id, rc.role, rc.metadata_type, c.sha256, p.name, p.epoch, "
        "p.version, p.release, p.arch FROM repository_contents rc JOIN content_items c ON c.id = rc.content_id "
        "LEFT JOIN packages p ON p.id = rc.package_id WHERE rc.repository_id = ?1 ORDER BY rc.path");
    query.bind(1, *repository_row);
    while (query.step()) {
        CurrentEntry current;
        current.entry = {query.column_text(0), query.column_int64(1), query.column_optional_int64(2),
                         query.column_text(3), query.column_optional_text(4)};
        current.sha256 = query.column_text(5);
        if (current.entry.package_id)
            current.identity = PackageIdentity{query.column_text(6), static_cast<std::uint64_t>(query.column_int64(7)),
                                               query.column_text(8), query.column_text(9), query.column_text(10)};
        entries.push_back(std::move(current));
    }
    return entries;
}

using Candidate = std::unique_ptr<PackageFile>;

// Reads one file with the repository's reader; a package of another format
// is refused as such rather than as a damaged one.
Candidate read_candidate(const fs::path& file, const PackageFileReader& reader, const RepositoryConfig& repository) {
    if (const auto kind = package_file_kind_of(file); kind && *kind != reader.file_kind())
        throw Error::invalid_input(file.string() + " holds a package of another format (" + *kind + "); repo " +
                                   repository.id + " is type " + repository.type + " and takes " +
                                   std::string(reader.file_kind()) + " files");
    return reader.read(file);
}

// What the upload does to latest: decided from the current latest before
// anything is written. Throws Error::conflict for a clash.
struct UploadPlan {
    std::vector<UploadedPackage> packages;   // parallel to the candidates
    std::vector<std::size_t> to_add;         // candidates that enter latest (added or replaced)
    std::vector<std::string> removed_paths;  // entries of latest they replace
};

// The candidates entering a plan so far, by name and arch and by tree path.
class PlannedCandidates {
public:
    PlannedCandidates(const std::vector<Candidate>& candidates, const PackageFormat& format)
        : candidates_(candidates), format_(format) {}

    // The first planned candidate of the same identity or tree path as `candidate`.
    std::optional<std::size_t> find(const PackageFile& candidate) const {
        if (auto named = by_name_arch_.find({candidate.identity.name, candidate.identity.arch});
            named != by_name_arch_.end())
            for (std::size_t index : named->second)
                if (candidates_[index]->identity.same_as(candidate.identity, format_)) return index;
        if (auto at = by_path_.find(candidate.path); at != by_path_.end()) return at->second;
        return std::nullopt;
    }
    void add(std::size_t index) {
        const PackageFile& candidate = *candidates_[index];
        by_name_arch_[{candidate.identity.name, candidate.identity.arch}].push_back(index);
        by_path_.emplace(candidate.path, index);
    }

private:
    const std::vector<Candidate>& candidates_;
    const PackageFormat& format_;
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_name_arch_;
    std::map<std::string, std::size_t> by_path_;
};

UploadPlan plan_upload(const std::vector<Candidate>& candidates, const std::vector<CurrentEntry>& current,
                       const RepositoryConfig& repository, const PackageFormat& format, bool force) {
    UploadPlan plan;
    PlannedCandidates planned(candidates, format);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const PackageFile& candidate = *candidates[i];
        UploadedPackage uploaded{candidate.file, candidate.full_name, candidate.sha256, candidate.path,
                                 UploadOutcome::added, std::nullopt};
        if (const auto earlier = planned.find(candidate)) {
            const PackageFile& other = *candidates[*earlier];
            if (other.sha256 != candidate.sha256)
                throw Error::conflict(candidate.file.string() + " and " + other.file.string() + " are different files of " +
                                      uploaded.nevra + " (or share the tree path " + candidate.path +
                                      "); upload one of them");
            uploaded.outcome = UploadOutcome::unchanged;
            plan.packages.push_back(std::move(uploaded));
            continue;
        }
        planned.add(i);
        for (const CurrentEntry& held : current) {
            const bool same_identity = held.identity && held.identity->same_as(candidate.identity, format);
            if (!same_identity && held.entry.path != candidate.path) continue;
            if (same_identity && held.sha256 == candidate.sha256 && held.entry.path == candidate.path) {
                uploaded.outcome = UploadOutcome::unchanged;
                break;
            }
            if (!force)
                throw Error::conflict("repo " + repository.id + " already holds " + held.entry.path + " (sha256 " +
                                      held.sha256 + "), a different file than " + candidate.file.string() + " of " +
                                      uploaded.nevra + "; upload with --force to replace it");
            uploaded.outcome = UploadOutcome::replaced;
            uploaded.replaced_sha256 = held.sha256;
            plan.removed_paths.push_back(held.entry.path);
        }
        if (uploaded.outcome != UploadOutcome::unchanged) plan.to_add.push_back(i);
        plan.packages.push_back(std::move(uploaded));
    }
    return plan;
}

// Pools a candidate's file; its bytes must still be those that were read.
PoolEntry pool_candidate(const Pool& pool, const PackageFile& candidate) {
    PoolEntry entry = pool.add_file(candidate.file, candidate.file_name);
    if (entry.sha256 != candidate.sha256)
        throw Error::corrupt(candidate.file.string() + " changed while it was uploaded; upload it again");
    if (entry.already_present) pool.touch(entry.sha256, entry.filename);  // spared by pool cleanup's grace period
    return entry;
}

// An unchanged candidate whose pool file is missing or has the wrong size
// (`pool verify` finds it; a hosted repository has no upstream to fetch it
// from) is put back from the uploaded file.
void restore_pool_file(const Pool& pool, ContentRecorder& contents, const PackageFile& candidate) {
    const auto held = contents.find(candidate.sha256);
    if (!held || pool.has_file(held->sha256, held->filename, held->size)) return;
    const PoolEntry entry = pool.add_file(candidate.file, held->filename);
    if (entry.sha256 != held->sha256)
        throw Error::corrupt(candidate.file.string() + " changed while it was uploaded; upload it again");
}

// Catalogues a candidate as a sync of a repository holding it would;
// returns its latest entry.
LatestEntry catalogue_candidate(Database& database, ContentRecorder& contents, const PackageFile& candidate,
                                const PoolEntry& pooled) {
    const std::int64_t package_id = candidate.catalogue(database);
    const std::int64_t content_id = contents.record(pooled, "package");
    contents.link_package(package_id, content_id);
    return {candidate.path, content_id, package_id, "package", std::nullopt};
}

std::int64_t package_count(const std::vector<LatestEntry>& entries) {
    return std::count_if(entries.begin(), entries.end(), [](const LatestEntry& entry) { return entry.package_id.has_value(); });
}

}  // namespace

const char* upload_outcome_name(UploadOutcome outcome) {
    switch (outcome) {
        case UploadOutcome::added: return "added";
        case UploadOutcome::replaced: return "replaced";
        case UploadOutcome::unchanged: return "unchanged";
    }
    return "added";
}

UploadReport upload_packages(const Config& config, const RepositoryConfig& repository, Database& database,
                             const Pool& pool, const std::vector<fs::path>& files, const UploadOptions& options) {
    if (repository.mode != RepositoryMode::hosted)
        throw Error::invalid_input("repo " + repository.id + " is not hosted (mode: " +
                                   repository_mode_name(repository.mode) +
                                   "): its packages come from its feed; upload needs a repository with mode: hosted");
    if (files.empty()) throw Error::invalid_input("no package file to upload to repo " + repository.id);
    const PackageFormat& format = package_format(repository.type);
    const std::unique_ptr<PackageFileReader> reader = package_file_reader(repository, options.component);
    const FileLock lock(sync_lock_path(pool.temp_root(), repository.id), "a sync or upload of repo " + repository.id);

    std::vector<Candidate> candidates;
    candidates.reserve(files.size());
    for (const fs::path& file : files) candidates.push_back(read_candidate(file, *reader, repository));
    const std::vector<CurrentEntry> current = current_latest(database, find_repository_row(database, repository.id));
    UploadPlan plan = plan_upload(candidates, current, repository, format, options.force);

    UploadReport report;
    report.repo_id = repository.id;
    report.packages = std::move(plan.packages);
    std::vector<PoolEntry> pooled;
    for (std::size_t index : plan.to_add) pooled.push_back(pool_candidate(pool, *candidates[index]));
    ContentRecorder held_contents(database);
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (report.packages[i].outcome == UploadOutcome::unchanged) restore_pool_file(pool, held_contents, *candidates[i]);

    Transaction transaction(database);
    const std::int64_t row = upsert_repository(database, repository);
    std::vector<LatestEntry> entries;
    for (const CurrentEntry& held : current)
        if (std::find(plan.removed_paths.begin(), plan.removed_paths.end(), held.entry.path) == plan.removed_paths.end())
            entries.push_back(held.entry);
    report.latest_changed = !plan.to_add.empty();
    if (report.latest_changed) {
        ContentRecorder contents(database);
        for (std::size_t i = 0; i < plan.to_add.size(); ++i)
            entries.push_back(catalogue_candidate(database, contents, *candidates[plan.to_add[i]], pooled[i]));
        switch_latest(database, repository, row, entries, unix_time_now(), config.storage.metadata_grace_period);
        database.prepare("UPDATE repositories SET generated_tree = 1 WHERE id = ?1").bind(1, row).run();
    }
    transaction.commit();
    report.packages_total = package_count(entries);
    return report;
}

}  // namespace chantal
