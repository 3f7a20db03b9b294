// chantal repo sync [--repair] | check-updates | history [--repo-id ID] [--limit|--last N].
#include <fnmatch.h>

#include <algorithm>
#include <functional>

#include "cli/commands.h"
#include "cli/content_report.h"
#include "cli/exit_status.h"
#include "cli/index_preparation_output.h"
#include "cli/interrupt.h"
#include "cli/progress.h"
#include "cli/progress_bar.h"
#include "cli/tree_diff_output.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/repository_records.h"
#include "core/sync/pool_repair.h"
#include "core/sync/sync.h"
#include "core/sync/sync_history.h"

namespace chantal::cli {
namespace {

struct RepositorySelection {
    std::string repo_id;
    bool all = false;
    std::string pattern;
};

void add_selection_options(CLI::App* command, RepositorySelection& selection, bool with_pattern) {
    auto* repo_id = command->add_option("--repo-id", selection.repo_id, "Repository id");
    auto* all = command->add_flag("--all", selection.all, "Every enabled repository");
    repo_id->excludes(all);
    if (with_pattern) {
        auto* pattern = command->add_option("--pattern", selection.pattern, "Enabled repositories whose id matches GLOB");
        pattern->excludes(repo_id)->excludes(all);
    }
}

// The repositories a command acts on, in config order.
std::vector<const RepositoryConfig*> selected_repositories(const Config& config, const RepositorySelection& selection) {
    std::vector<const RepositoryConfig*> repositories;
    if (!selection.repo_id.empty()) {
        repositories.push_back(&config.repository(selection.repo_id));
    } else if (selection.all || !selection.pattern.empty()) {
        for (const auto& repository : config.repositories) {
            if (!repository.enabled) continue;
            if (!selection.pattern.empty() && ::fnmatch(selection.pattern.c_str(), repository.id.c_str(), 0) != 0)
                continue;
            repositories.push_back(&repository);
        }
        if (repositories.empty())
            throw Error::not_found(selection.pattern.empty()
                                       ? "no enabled repositories in " + config.file.string()
                                       : "no enabled repository matches '" + selection.pattern + "'");
    } else {
        throw CLI::RequiredError("one of --repo-id, --all or --pattern");
    }
    return repositories;
}

// --all and --pattern pass over hosted repositories (no upstream), with a
// note each (and a {"repo_id", "status": "skipped", "reason"} object in
// `reports`); asked for by --repo-id, one is the sync's error.
std::vector<const RepositoryConfig*> without_hosted(Console& console, std::vector<const RepositoryConfig*> repositories,
                                                    const RepositorySelection& selection, nlohmann::json& reports) {
    if (!selection.repo_id.empty()) return repositories;
    std::erase_if(repositories, [&](const RepositoryConfig* repository) {
        if (repository->mode != RepositoryMode::hosted) return false;
        const std::string reason = "hosted: no upstream (its packages come from package upload)";
        if (console.json()) reports.push_back({{"repo_id", repository->id}, {"status", "skipped"}, {"reason", reason}});
        else console.info("skipped " + repository->id + ": " + reason);
        return true;
    });
    return repositories;
}

nlohmann::json report_json(const SyncReport& report) {
    nlohmann::json json = {{"repo_id", report.repo_id},
                           {"status", report.up_to_date ? "up_to_date" : "success"},
                           {"tree", report.generated_tree ? "generated" : "mirror"},
                           {"packages", report.packages_total},
                           {"files_downloaded", report.files_downloaded},
                           {"bytes_downloaded", report.bytes_downloaded},
                           {"files_refetched", report.files_refetched},
                           {"seconds", report.seconds},
                           {"warnings", report.warnings}};
    json.update(diff_counts_json(report.changes));
    return json;
}

std::string report_line(const SyncReport& report) {
    const std::string seconds = format_seconds(report.seconds);
    const std::string tree = report.generated_tree ? "; generated tree" : "";
    if (report.up_to_date)
        return report.repo_id + ": up to date (" + std::to_string(report.packages_total) + " packages, " + seconds +
               tree + ")";
    return report.repo_id + ": " + diff_counts_text(report.changes) + "; " +
           (report.files_refetched > 0
                ? "re-fetched " + std::to_string(report.files_refetched) + " missing pool file(s); "
                : std::string()) +
           std::to_string(report.files_downloaded) + " files (" + format_bytes(report.bytes_downloaded) +
           ") downloaded in " + seconds + tree;
}

// What became of the repositories a command went through.
struct RepositoryRun {
    std::size_t asked = 0;
    std::vector<std::string> failed;
    std::vector<std::string> busy;  // skipped: another chantal holds their lock
    // With one repository asked for, its error, thrown again by finish().
    std::exception_ptr only_error;
};

// Does `work` for each repository in turn, with one observer and one set of
// options; `work` returns false for a repository that failed without an
// error. A repository that fails or is busy is reported (an error line, or
// a warning for a busy one; a {"repo_id", "status": "failed"|"busy",
// "error"} object in `reports`) and the others go on. Stops after an
// interrupt.
using RepositoryWork = std::function<bool(const RepositoryConfig&, ConsoleSyncObserver&, const SyncOptions&)>;
RepositoryRun for_each_repository(AppContext& context, const std::vector<const RepositoryConfig*>& repositories,
                                  unsigned workers, nlohmann::json& reports, const RepositoryWork& work) {
    Console& console = context.console();
    ConsoleSyncObserver observer(console);
    SyncOptions options;
    if (workers > 0) options.workers = workers;
    options.cancel = &install_interrupt_handlers();
    RepositoryRun run;
    run.asked = repositories.size();
    for (const RepositoryConfig* repository : repositories) {
        try {
            if (!work(*repository, observer, options)) run.failed.push_back(repository->id);
            observer.end_bar();
        } catch (const Error& error) {
            observer.end_bar();
            const bool busy = error.kind() == ErrorKind::busy;
            (busy ? run.busy : run.failed).push_back(repository->id);
            if (console.json())
                reports.push_back(
                    {{"repo_id", repository->id}, {"status", busy ? "busy" : "failed"}, {"error", error.what()}});
            if (repositories.size() == 1) {
                run.only_error = std::current_exception();
            } else if (busy) {
                console.warning("skipped: " + std::string(error.what()));
            } else {
                console.error(error.what());
                if (!error.detail().empty()) console.detail("detail: " + error.detail());
            }
        }
        if (options.cancel->load()) break;
    }
    return run;
}

// After the reports are out: the one repository's error as it was; else
// exit status 1 when any failed ("N of M repositories failed to VERB: ids"),
// 3 when the only trouble was busy repositories.
void finish(AppContext& context, const RepositoryRun& run, const std::string& verb) {
    if (run.only_error) std::rethrow_exception(run.only_error);
    const std::string busy = run.busy.empty() ? ""
                                              : std::to_string(run.busy.size()) + " of " + std::to_string(run.asked) +
                                                    " repositories busy (another chantal holds them), skipped: " +
                                                    join(run.busy, ", ");
    if (!run.failed.empty())
        throw Error::network(std::to_string(run.failed.size()) + " of " + std::to_string(run.asked) +
                             " repositories failed to " + verb + ": " + join(run.failed, ", ") +
                             (busy.empty() ? "" : "; " + busy));
    if (!busy.empty()) {
        context.console().warning(busy);
        context.exit_code = static_cast<int>(ExitStatus::busy);
    }
}

void run_sync(AppContext& context, const RepositorySelection& selection, unsigned workers) {
    const Config& config = context.config();
    Console& console = context.console();
    nlohmann::json reports = nlohmann::json::array();
    auto repositories = without_hosted(console, selected_repositories(config, selection), selection, reports);
    std::vector<std::string> moved;  // repositories whose latest this run changed
    const RepositoryRun run = for_each_repository(
        context, repositories, workers, reports,
        [&](const RepositoryConfig& repository, ConsoleSyncObserver& observer, const SyncOptions& options) {
            SyncReport report =
                sync_repository(config, repository, context.catalogue().database(), context.pool(), options, observer);
            observer.end_bar();
            if (!report.up_to_date) moved.push_back(report.repo_id);
            if (console.json())
                reports.push_back(report_json(report));
            else
                console.summary(report_line(report));
            return true;
        });
    // Before the reports: a client must not be the first to ask for them.
    prepare_moved_trees(context, moved);
    if (console.json()) console.print_json(reports);
    finish(context, run, "sync");
}

// One bad file of a repair report: "repaired: TREE_PATH (problem)" or
// "not repaired: TREE_PATH (problem): why", then "  also TREE_PATH" for
// every other tree that shows it.
void print_repaired_file(const Console& console, const RepairedFile& file) {
    const std::vector<std::string> locations = holder_locations(file.file);
    const std::string where = locations.empty() ? file.file.path.string() : locations.front();
    console.print_line((file.repaired ? "repaired: " : "not repaired: ") + where + " (" + problem_text(file.file) + ")" +
                       (file.repaired ? "" : ": " + file.reason));
    for (std::size_t i = 1; i < locations.size(); ++i) console.print_line("  also " + locations[i]);
}

nlohmann::json repair_json(const RepairReport& report) {
    nlohmann::json repaired = nlohmann::json::array();
    nlohmann::json unrepaired = nlohmann::json::array();
    for (const auto& file : report.files) {
        nlohmann::json json = bad_content_json(file.file);
        if (file.repaired) {
            repaired.push_back(std::move(json));
        } else {
            json["reason"] = file.reason;
            unrepaired.push_back(std::move(json));
        }
    }
    return {{"repo_id", report.repo_id},
            {"status", !report.ok() ? "failed" : report.files.empty() ? "ok" : "repaired"},
            {"files_checked", report.files_checked},
            {"bytes_checked", report.bytes_checked},
            {"repaired", repaired},
            {"not_repaired", unrepaired},
            {"files_downloaded", report.files_downloaded},
            {"bytes_downloaded", report.bytes_downloaded},
            {"seconds", report.seconds}};
}

std::string repair_line(const RepairReport& report) {
    const std::string seconds = format_seconds(report.seconds);
    std::string line = report.repo_id + ": checked " + std::to_string(report.files_checked) + " pool files (" +
                       format_bytes(report.bytes_checked) + "): ";
    if (report.files.empty()) return line + "nothing to repair (" + seconds + ")";
    return line + std::to_string(report.repaired()) + " repaired, " + std::to_string(report.unrepaired()) +
           " not repaired; " + std::to_string(report.files_downloaded) + " files (" +
           format_bytes(report.bytes_downloaded) + ") downloaded in " + seconds;
}

// repo sync --repair: restores the bad pool files of each repository's
// latest and snapshots; fails (exit 1) when one could not be restored.
void run_repair(AppContext& context, const RepositorySelection& selection, unsigned workers) {
    const Config& config = context.config();
    auto repositories = selected_repositories(config, selection);
    Console& console = context.console();
    nlohmann::json reports = nlohmann::json::array();
    std::size_t unrepaired = 0;
    std::string first_unrepaired;  // "TREE_PATH (why)"
    const RepositoryRun run = for_each_repository(
        context, repositories, workers, reports,
        [&](const RepositoryConfig& repository, ConsoleSyncObserver& observer, const SyncOptions& options) {
            ProgressBar hashing(console, repository.id + " verify");
            RepairReport report = repair_repository(
                config, repository, context.catalogue().database(), context.pool(), options, observer,
                [&hashing](const VerifyProgress& progress) {
                    hashing.update({progress.files_done, progress.files_total, progress.bytes_done,
                                    progress.bytes_total, 0, 0});
                    if (progress.files_done == progress.files_total) hashing.clear();
                });
            observer.end_bar();
            unrepaired += report.unrepaired();
            for (const auto& file : report.files)
                if (!file.repaired && first_unrepaired.empty()) {
                    const auto locations = holder_locations(file.file);
                    first_unrepaired =
                        (locations.empty() ? file.file.path.string() : locations.front()) + " (" + file.reason + ")";
                }
            if (console.json()) {
                reports.push_back(repair_json(report));
            } else {
                for (const auto& file : report.files)
                    if (!file.repaired || console.verbosity() != Verbosity::quiet) print_repaired_file(console, file);
                console.summary(repair_line(report));
            }
            return report.ok();
        });
    if (console.json()) console.print_json(reports);
    if (run.failed.empty() || run.only_error) return finish(context, run, "repair");
    if (repositories.size() == 1)
        throw Error::corrupt("repo " + run.failed.front() + ": " + std::to_string(unrepaired) +
                             " pool file(s) could not be repaired, e.g. " + first_unrepaired);
    throw Error::corrupt(std::to_string(run.failed.size()) + " of " + std::to_string(repositories.size()) +
                         " repositories could not be repaired completely: " + join(run.failed, ", ") +
                         (run.busy.empty() ? "" : "; busy, skipped: " + join(run.busy, ", ")));
}

nlohmann::json check_json(const UpdateCheck& check) {
    const bool up_to_date = check.up_to_date || check.changes.empty();
    nlohmann::json json = {{"repo_id", check.repo_id},
                           {"status", up_to_date ? "up_to_date" : "changes"},
                           {"download_files", check.download_files},
                           {"download_bytes", check.download_bytes}};
    json.update(diff_json(check.changes));
    return json;
}

// Fetches each repository's top index and package lists and tells what a
// sync would change, in the words of `snapshot diff`; goes on past a
// repository that fails, like `sync --all`.
void run_check_updates(AppContext& context, const RepositorySelection& selection) {
    const Config& config = context.config();
    Console& console = context.console();
    nlohmann::json checks = nlohmann::json::array();
    const RepositoryRun run = for_each_repository(
        context, without_hosted(console, selected_repositories(config, selection), selection, checks), 0, checks,
        [&](const RepositoryConfig& repository, ConsoleSyncObserver& observer, const SyncOptions& options) {
            UpdateCheck check = check_repository_updates(config, repository, context.catalogue().database(),
                                                         context.pool(), options, observer);
            observer.end_bar();
            if (console.json()) {
                checks.push_back(check_json(check));
            } else if (check.up_to_date || check.changes.empty()) {
                console.print_line(check.repo_id + ": up to date");
            } else {
                console.print_line(check.repo_id + ": a sync would bring " + diff_counts_text(check.changes) + "; " +
                                   std::to_string(check.download_files) + " files (" +
                                   format_bytes(check.download_bytes) + ") to download");
                print_diff_tables(console, check.changes);
            }
            return true;
        });
    if (console.json()) console.print_json(checks);
    finish(context, run, "check for updates");
}

struct HistoryEntry {
    std::string repo_id;
    SyncHistoryRow row;
};

// The newest `limit` attempts of one repository (repo_id set) or of every
// configured one, newest first.
std::vector<HistoryEntry> collect_history(AppContext& context, const std::string& repo_id, int limit) {
    std::vector<std::string> repo_ids;
    if (!repo_id.empty()) {
        context.config().repository(repo_id);  // must be configured
        repo_ids.push_back(repo_id);
    } else {
        for (const auto& repository : context.config().repositories) repo_ids.push_back(repository.id);
    }
    std::vector<HistoryEntry> entries;
    Catalogue* catalogue = context.catalogue_if_exists();
    if (!catalogue) return entries;
    for (const auto& id : repo_ids)
        if (auto row = find_repository_row(catalogue->database(), id))
            for (auto& history_row : sync_history(catalogue->database(), *row, limit)) entries.push_back({id, history_row});
    std::stable_sort(entries.begin(), entries.end(), [](const HistoryEntry& a, const HistoryEntry& b) {
        return a.row.started_at != b.row.started_at ? a.row.started_at > b.row.started_at : a.row.id > b.row.id;
    });
    if (entries.size() > static_cast<std::size_t>(limit)) entries.resize(static_cast<std::size_t>(limit));
    return entries;
}

// repo_id empty: every configured repository, with a REPO column.
void show_history(AppContext& context, const std::string& repo_id, int limit) {
    const std::vector<HistoryEntry> entries = collect_history(context, repo_id, limit);
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [id, row] : entries)
            list.push_back({{"repo_id", id},
                            {"started", format_utc_time(row.started_at)},
                            {"finished", row.finished_at ? nlohmann::json(format_utc_time(*row.finished_at)) : nullptr},
                            {"status", row.status},
                            {"added", row.counts.packages_added},
                            {"removed", row.counts.packages_removed},
                            {"unchanged", row.counts.packages_unchanged},
                            {"files_downloaded", row.counts.files_downloaded},
                            {"bytes_downloaded", row.counts.bytes_downloaded},
                            {"repomd_sha256", row.repomd_sha256 ? nlohmann::json(*row.repomd_sha256) : nullptr},
                            {"message", row.message}});
        console.print_json(list);
        return;
    }
    if (entries.empty()) {
        console.print_line(repo_id.empty() ? "no repository has been synced" : repo_id + ": never synced");
        return;
    }
    const bool all = repo_id.empty();
    std::vector<std::string> headers = {"STARTED", "STATUS", "ADDED", "REMOVED", "UNCHANGED", "DOWNLOADED", "MESSAGE"};
    if (all) headers.insert(headers.begin(), "REPO");
    Table table(headers);
    for (const auto& [id, row] : entries) {
        std::string message = row.message;
        if (auto newline = message.find('\n'); newline != std::string::npos) message = message.substr(0, newline) + " …";
        std::vector<std::string> cells = {format_utc_time(row.started_at), row.status,
                                          std::to_string(row.counts.packages_added),
                                          std::to_string(row.counts.packages_removed),
                                          std::to_string(row.counts.packages_unchanged),
                                          format_bytes(static_cast<std::uint64_t>(row.counts.bytes_downloaded)), message};
        if (all) cells.insert(cells.begin(), id);
        table.add_row(std::move(cells));
    }
    console.print_table(table);
}

}  // namespace

void register_repo_sync_commands(CLI::App* repo, AppContext& context) {
    auto* sync = repo->add_subcommand("sync", "Sync repositories from upstream into the pool and switch latest");
    auto sync_selection = std::make_shared<RepositorySelection>();
    auto workers = std::make_shared<unsigned>(0);
    add_selection_options(sync, *sync_selection, true);
    sync->add_option("--workers", *workers, "Concurrent downloads (default: download.parallel)")
        ->check(CLI::Range(1, 100));
    auto repair = std::make_shared<bool>(false);
    sync->add_flag("--repair", *repair,
                   "Re-hash every pool file latest and the snapshots reference and fetch the missing or damaged "
                   "ones again from upstream (latest is not changed)");
    sync->callback([&context, sync_selection, workers, repair] {
        if (*repair)
            run_repair(context, *sync_selection, *workers);
        else
            run_sync(context, *sync_selection, *workers);
    });

    auto* check = repo->add_subcommand("check-updates", "What a sync would change (fetches repomd.xml and primary only)");
    auto check_selection = std::make_shared<RepositorySelection>();
    add_selection_options(check, *check_selection, true);
    check->callback([&context, check_selection] { run_check_updates(context, *check_selection); });

    auto* history = repo->add_subcommand("history", "Sync history of a repository, or of all of them");
    auto repo_id = std::make_shared<std::string>();
    auto limit = std::make_shared<int>(20);
    history->add_option("--repo-id", *repo_id, "Repository id (default: every repository)");
    history->add_option("--limit,--last", *limit, "Newest N attempts")->check(CLI::PositiveNumber);
    history->callback([&context, repo_id, limit] { show_history(context, *repo_id, *limit); });
}

}  // namespace chantal::cli
