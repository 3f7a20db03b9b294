// chantal pool stats | pool cleanup [--dry-run] [--grace-period DURATION] | pool verify | pool missing
// | pool orphaned
#include <cctype>
#include <iostream>

#include "cli/commands.h"
#include "cli/content_report.h"
#include "cli/progress_bar.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/maintenance/db_verify.h"
#include "core/maintenance/pool_cleanup.h"
#include "core/maintenance/pool_usage.h"

namespace chantal::cli {
namespace {

nlohmann::json count_json(const FileCount& count) { return {{"files", count.files}, {"bytes", count.bytes}}; }
std::string count_text(const FileCount& count) {
    return std::to_string(count.files) + " files, " + format_bytes(count.bytes);
}

void show_stats(AppContext& context) {
    const PoolUsage usage = measure_pool(context.catalogue_if_exists() ? &context.catalogue().database() : nullptr,
                                         context.pool());
    Console& console = context.console();
    const Config& config = context.config();
    if (console.json()) {
        console.print_json({{"pool_path", config.storage.pool_path.string()},
                            {"temp_path", config.storage.temp_path.string()},
                            {"total", count_json(usage.total)},
                            {"packages", count_json(usage.packages)},
                            {"metadata", count_json(usage.metadata)},
                            {"uncatalogued", count_json(usage.uncatalogued)},
                            {"unreferenced", count_json(usage.unreferenced)},
                            {"temp", count_json(usage.temp)}});
        return;
    }
    KeyValueList list;
    list.add("pool", config.storage.pool_path.string());
    list.add("files", count_text(usage.total));
    list.add("packages", count_text(usage.packages));
    list.add("metadata", count_text(usage.metadata));
    list.add("not in catalogue", count_text(usage.uncatalogued));
    list.add("unreferenced", count_text(usage.unreferenced) + " (pool cleanup removes them after the grace period)");
    list.add("temp files", count_text(usage.temp) + " in " + config.storage.temp_path.string());
    list.print(std::cout);
}

// "86400", "90s", "30m", "24h", "7d" -> seconds. Throws Error::invalid_input.
std::chrono::seconds parse_duration(const std::string& text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    const std::string unit = text.substr(digits);
    if (digits == 0 || digits > 12 || unit.size() > 1)
        throw Error::invalid_input("--grace-period: '" + text + "' is not a duration (e.g. 86400, 90s, 30m, 24h, 7d)");
    const long long value = std::stoll(text.substr(0, digits));
    const long long factor = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 0;
    if (factor == 0)
        throw Error::invalid_input("--grace-period: '" + text + "' is not a duration (e.g. 86400, 90s, 30m, 24h, 7d)");
    return std::chrono::seconds(value * factor);
}

void cleanup(AppContext& context, bool dry_run, const std::string& grace_text) {
    PoolCleanupOptions options;
    options.dry_run = dry_run;
    if (!grace_text.empty()) options.grace_period = parse_duration(grace_text);
    options.retired_grace_period = std::chrono::seconds(context.config().storage.metadata_grace_period);
    Catalogue& catalogue = context.catalogue();
    const PoolCleanupReport report = clean_pool(catalogue.database(), context.pool(), options);
    Console& console = context.console();
    for (const auto& warning : report.warnings) console.warning(warning);
    if (report.running_sync_repo)
        console.warning("a sync of " + *report.running_sync_repo + " is running since " +
                        format_utc_time(*report.running_sync_started_at) + "; files newer than that are kept");
    for (const auto& stale : report.stale_syncs)
        console.info("note: the sync of " + stale.repo_id + " marked running since " + format_utc_time(stale.started_at) +
                     " is not running (no process holds its lock); ignored");
    if (console.json()) {
        nlohmann::json files = nlohmann::json::array();
        for (const auto& file : report.removed_files)
            files.push_back({{"sha256", file.sha256}, {"filename", file.filename}, {"path", file.path.string()},
                             {"size", file.size}, {"catalogued", file.catalogued}});
        nlohmann::json temp = nlohmann::json::array();
        for (const auto& path : report.removed_temp_files) temp.push_back(path.string());
        console.print_json({{"dry_run", report.dry_run},
                            {"grace_period_seconds", options.grace_period.count()},
                            {"metadata_grace_period_seconds", options.retired_grace_period.count()},
                            {"retired_rows_forgotten", report.retired_rows_forgotten},
                            {"cutoff", format_utc_time(report.cutoff)},
                            {"removed_files", files},
                            {"removed_bytes", report.removed_bytes},
                            {"content_rows_removed", report.content_rows_removed},
                            {"packages_detached", report.packages_detached},
                            {"removed_temp_files", temp},
                            {"removed_temp_bytes", report.removed_temp_bytes},
                            {"kept_recent_files", report.kept_recent_files},
                            {"kept_recent_bytes", report.kept_recent_bytes},
                            {"running_sync", report.running_sync_repo
                                                 ? nlohmann::json{{"repo_id", *report.running_sync_repo},
                                                                  {"started", format_utc_time(*report.running_sync_started_at)}}
                                                 : nlohmann::json(nullptr)},
                            {"warnings", report.warnings}});
        return;
    }
    const std::string verb = report.dry_run ? "would remove" : "removed";
    for (const auto& file : report.removed_files)
        console.detail(verb + " " + file.path.string() + " (" + format_bytes(file.size) + ")");
    for (const auto& path : report.removed_temp_files) console.detail(verb + " temp file " + path.string());
    console.summary(verb + " " + std::to_string(report.removed_files.size()) + " unreferenced pool files (" +
                    format_bytes(report.removed_bytes) + "), " + std::to_string(report.content_rows_removed) +
                    " content rows, " + std::to_string(report.removed_temp_files.size()) + " stale temp files (" +
                    format_bytes(report.removed_temp_bytes) + ")");
    if (report.kept_recent_files)
        console.summary("kept " + std::to_string(report.kept_recent_files) + " unreferenced files (" +
                        format_bytes(report.kept_recent_bytes) + ") newer than " + format_utc_time(report.cutoff) +
                        " (grace period)");
}

// pool verify: re-hashes every pool file a tree references and lists each
// bad one by the tree paths that show it.
void verify(AppContext& context) {
    Console& console = context.console();
    VerifyReport report;
    {
        ProgressBar bar(console, "verify");
        report = verify_referenced_pool_files(context.catalogue().database(), context.pool(),
                                              [&bar](const VerifyProgress& progress) {
                                                  bar.update({progress.files_done, progress.files_total,
                                                              progress.bytes_done, progress.bytes_total, 0, 0});
                                              });
    }
    if (console.json()) {
        nlohmann::json bad = nlohmann::json::array();
        for (const auto& item : report.bad_content) bad.push_back(bad_content_json(item));
        console.print_json({{"ok", report.ok()},
                            {"summary", report.summary()},
                            {"files_checked", report.content_checked},
                            {"bytes_checked", report.bytes_checked},
                            {"bad_content", bad}});
    } else {
        for (const auto& item : report.bad_content) {
            const std::vector<std::string> locations = holder_locations(item);
            console.print_line(problem_text(item) + ": " + (locations.empty() ? item.path.string() : locations.front()));
            for (std::size_t i = 1; i < locations.size(); ++i) console.print_line("  also " + locations[i]);
            if (!item.path.empty()) console.print_line("  pool file " + item.path.string());
        }
        console.summary("checked " + std::to_string(report.content_checked) + " referenced pool files (" +
                        format_bytes(report.bytes_checked) + "): " + report.summary());
    }
    if (!report.ok()) {
        console.error("pool " + context.config().storage.pool_path.string() + " failed verification: " +
                      report.summary() + "; run repo sync --repair to fetch them again");
        context.exit_code = 1;
    }
}

// pool missing: catalogued content whose pool file is gone, by the tree
// paths that show it; exit status 1 when there is any.
void list_missing(AppContext& context) {
    Console& console = context.console();
    VerifyReport report;
    {
        ProgressBar bar(console, "missing");
        report = find_missing_pool_files(context.catalogue().database(), context.pool(),
                                         [&bar](const VerifyProgress& progress) {
                                             bar.update({progress.files_done, progress.files_total,
                                                         progress.bytes_done, progress.bytes_total, 0, 0});
                                         });
    }
    if (console.json()) {
        nlohmann::json missing = nlohmann::json::array();
        for (const auto& item : report.bad_content) missing.push_back(bad_content_json(item));
        console.print_json({{"ok", report.ok()},
                            {"summary", report.summary()},
                            {"content_checked", report.content_checked},
                            {"missing", missing}});
    } else {
        for (const auto& item : report.bad_content) {
            const std::vector<std::string> locations = holder_locations(item);
            console.print_line(item.path.string() + (locations.empty() ? " (held by no tree)" : ""));
            for (const auto& location : locations) console.print_line("  shown at " + location);
        }
        console.summary("checked " + std::to_string(report.content_checked) + " catalogued pool files: " +
                        std::to_string(report.bad_content.size()) + " missing");
    }
    if (!report.ok()) {
        console.error(std::to_string(report.bad_content.size()) + " catalogued files are missing from the pool " +
                      context.config().storage.pool_path.string() + "; run repo sync --repair to fetch them again");
        context.exit_code = 1;
    }
}

// pool orphaned: pool files outside every tree: those the catalogue does not
// know and catalogued ones no tree references. Not a failure: pool cleanup
// removes both once they are older than its grace period.
void list_orphaned(AppContext& context) {
    Console& console = context.console();
    const VerifyReport report = find_orphaned_pool_files(context.catalogue().database(), context.pool());
    FileCount uncatalogued, unreferenced;
    for (const auto& record : report.uncatalogued_files) uncatalogued.add(record.size);
    for (const auto& record : report.unreferenced_content) unreferenced.add(record.size);
    if (console.json()) {
        console.print_json({{"uncatalogued_files", file_records_json(report.uncatalogued_files)},
                            {"unreferenced_content", file_records_json(report.unreferenced_content)},
                            {"uncatalogued", count_json(uncatalogued)},
                            {"unreferenced", count_json(unreferenced)}});
        return;
    }
    Table table({"STATE", "SIZE", "PATH"});
    for (const auto& record : report.uncatalogued_files)
        table.add_row({"not in catalogue", format_bytes(record.size), record.path.string()});
    for (const auto& record : report.unreferenced_content)
        table.add_row({"unreferenced", format_bytes(record.size), record.path.string()});
    if (!table.empty()) console.print_table(table);
    console.summary(count_text(uncatalogued) + " not in the catalogue, " + count_text(unreferenced) +
                    " catalogued but in no tree (pool cleanup removes both after the grace period)");
}

}  // namespace

void register_pool_commands(CLI::App& app, AppContext& context) {
    auto* pool = app.add_subcommand("pool", "The content-addressed pool: stats, cleanup, verify, missing, orphaned");
    pool->require_subcommand(1);
    pool->add_subcommand("stats", "Files and bytes in the pool, by kind; temp files")
        ->callback([&context] { show_stats(context); });

    auto* cleanup_command = pool->add_subcommand(
        "cleanup", "Remove pool files no repository, snapshot or view references, once older than the grace period");
    auto dry_run = std::make_shared<bool>(false);
    auto grace = std::make_shared<std::string>();
    cleanup_command->add_flag("-n,--dry-run", *dry_run, "Only report what would be removed");
    cleanup_command->add_option("--grace-period", *grace,
                                "Keep unreferenced files younger than this (seconds, or 30m, 24h, 7d; default 24h)");
    cleanup_command->callback([&context, dry_run, grace] { cleanup(context, *dry_run, *grace); });

    pool->add_subcommand("verify",
                         "Re-hash every pool file a repository, snapshot or view references; list the missing or "
                         "damaged ones by tree path")
        ->callback([&context] { verify(context); });
    pool->add_subcommand("missing", "Catalogued files whose pool file is gone, with the tree paths that show them")
        ->callback([&context] { list_missing(context); });
    pool->add_subcommand("orphaned", "Pool files in no tree: not in the catalogue, or catalogued but unreferenced")
        ->callback([&context] { list_orphaned(context); });
}

}  // namespace chantal::cli
