// chantal db init | status | upgrade | stats | vacuum | verify [--checksums] | export [--output FILE]
// | import FILE [--force]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/content_report.h"
#include "cli/progress_bar.h"
#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/catalogue/catalogue_export.h"
#include "core/catalogue/catalogue_import.h"
#include "core/maintenance/db_schema.h"
#include "core/maintenance/db_stats.h"
#include "core/maintenance/db_vacuum.h"
#include "core/maintenance/db_verify.h"

namespace chantal::cli {
namespace {

void show_stats(AppContext& context) {
    Catalogue& catalogue = context.catalogue();
    const CatalogueStats stats = collect_catalogue_stats(catalogue.database(), context.pool());
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"catalogue", catalogue.database().file().string()},
                            {"schema_version", catalogue.schema_version()},
                            {"repositories", stats.repositories},
                            {"snapshots", stats.snapshots},
                            {"views", stats.views},
                            {"view_snapshots", stats.view_snapshots},
                            {"packages", stats.packages},
                            {"packages_in_pool", stats.packages_in_pool},
                            {"content_items", stats.content_items},
                            {"content_bytes", stats.content_bytes},
                            {"pool_files", stats.pool_files},
                            {"pool_bytes", stats.pool_bytes},
                            {"referenced_bytes", stats.referenced_bytes},
                            {"logical_bytes", stats.logical_bytes},
                            {"deduplicated_bytes", stats.deduplicated_bytes},
                            {"catalogue_bytes", stats.catalogue_bytes},
                            {"catalogue_wal_bytes", stats.catalogue_wal_bytes}});
        return;
    }
    KeyValueList list;
    list.add("catalogue", catalogue.database().file().string() + " (schema version " +
                              std::to_string(catalogue.schema_version()) + ")");
    list.add("catalogue size", format_bytes(stats.catalogue_bytes) + " + " + format_bytes(stats.catalogue_wal_bytes) +
                                   " WAL");
    list.add("repositories", std::to_string(stats.repositories));
    list.add("snapshots", std::to_string(stats.snapshots));
    list.add("views", std::to_string(stats.views));
    list.add("view snapshots", std::to_string(stats.view_snapshots));
    list.add("packages", std::to_string(stats.packages) + " catalogued, " + std::to_string(stats.packages_in_pool) +
                             " in the pool");
    list.add("content items", std::to_string(stats.content_items) + " (" + format_bytes(stats.content_bytes) + ")");
    list.add("pool", std::to_string(stats.pool_files) + " files, " + format_bytes(stats.pool_bytes));
    list.add("referenced by trees", format_bytes(stats.referenced_bytes));
    list.add("saved by deduplication", format_bytes(stats.deduplicated_bytes) + " (trees would take " +
                                           format_bytes(stats.logical_bytes) + " as copies)");
    list.print(std::cout);
}

void vacuum(AppContext& context) {
    Catalogue& catalogue = context.catalogue();
    context.console().info("vacuuming " + catalogue.database().file().string() + " ...");
    const VacuumResult result = vacuum_catalogue(catalogue.database());
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"catalogue", catalogue.database().file().string()},
                            {"bytes_before", result.bytes_before},
                            {"bytes_after", result.bytes_after},
                            {"bytes_reclaimed", result.bytes_reclaimed},
                            {"wal_truncated", result.wal_truncated}});
        return;
    }
    console.summary("vacuumed " + catalogue.database().file().string() + ": " + format_bytes(result.bytes_before) +
                    " -> " + format_bytes(result.bytes_after) + ", reclaimed " + format_bytes(result.bytes_reclaimed));
    if (!result.wal_truncated)
        console.warning("readers kept the write-ahead log from being truncated; it shrinks at a later checkpoint");
}

void print_verify_json(const Console& console, const VerifyReport& report) {
    nlohmann::json bad = nlohmann::json::array();
    for (const auto& item : report.bad_content) bad.push_back(bad_content_json(item));
    console.print_json({{"ok", report.ok()},
                        {"summary", report.summary()},
                        {"checksums", report.checksums},
                        {"content_checked", report.content_checked},
                        {"bytes_checked", report.bytes_checked},
                        {"integrity_errors", report.integrity_errors},
                        {"foreign_key_errors", report.foreign_key_errors},
                        {"bad_content", bad},
                        {"uncatalogued_files", file_records_json(report.uncatalogued_files)},
                        {"unreferenced_content", file_records_json(report.unreferenced_content)}});
}

void print_verify_text(const Console& console, const VerifyReport& report) {
    for (const auto& line : report.integrity_errors) console.print_line("integrity: " + line);
    for (const auto& line : report.foreign_key_errors) console.print_line("broken reference: " + line);
    for (const auto& item : report.bad_content) {
        std::string line = std::string(content_problem_name(item.problem)) + ": " +
                           (item.path.empty() ? item.sha256 + " " + item.filename : item.path.string());
        line += problem_details(item);
        console.print_line(line);
        if (item.holders.empty()) console.print_line("  held by no tree");
        for (const auto& holder : item.holders) console.print_line("  held by " + holder.describe());
    }
    for (const auto& record : report.uncatalogued_files)
        console.print_line("not in catalogue: " + record.path.string() + " (" + format_bytes(record.size) + ")");
    for (const auto& record : report.unreferenced_content)
        console.print_line("unreferenced (cleanup candidate): " + record.path.string() + " (" +
                           format_bytes(record.size) + ")");
    console.summary("checked " + std::to_string(report.content_checked) + " content items (" +
                    format_bytes(report.bytes_checked) + (report.checksums ? ", checksums" : ", sizes only") +
                    "): " + report.summary() + "; " + std::to_string(report.uncatalogued_files.size()) +
                    " pool files not in the catalogue, " + std::to_string(report.unreferenced_content.size()) +
                    " unreferenced content items");
}

void verify(AppContext& context, bool checksums) {
    Catalogue& catalogue = context.catalogue();
    Console& console = context.console();
    VerifyReport report;
    {
        ProgressBar bar(console, "verify");
        report = verify_catalogue(catalogue.database(), context.pool(), VerifyOptions{checksums},
                                  [&bar](const VerifyProgress& progress) {
                                      bar.update({progress.files_done, progress.files_total, progress.bytes_done,
                                                  progress.bytes_total, 0, 0});
                                  });
    }
    if (console.json())
        print_verify_json(console, report);
    else
        print_verify_text(console, report);
    if (!report.ok()) {
        console.error("catalogue " + catalogue.database().file().string() + " failed verification: " + report.summary());
        context.exit_code = 1;
    }
}

void export_to(AppContext& context, const std::string& output) {
    Catalogue& catalogue = context.catalogue();
    if (output.empty() || output == "-") {
        export_catalogue(catalogue.database(), std::cout);
        return;
    }
    // Written beside the target and renamed over it: never a half export under its name.
    const std::filesystem::path target(output);
    const std::filesystem::path partial = target.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw Error::io("cannot create " + partial.string(), errno ? errno : EIO);
        try {
            export_catalogue(catalogue.database(), out);
        } catch (...) {
            out.close();
            std::filesystem::remove(partial);
            throw;
        }
    }
    if (std::rename(partial.c_str(), target.c_str()) != 0) throw Error::io("cannot rename to " + target.string(), errno);
    context.console().info("exported catalogue " + catalogue.database().file().string() + " to " + target.string());
}

void import_from(AppContext& context, const std::string& file, bool force) {
    const Config& config = context.config();
    chantal::create_directories(config.database_path.parent_path());
    Catalogue catalogue = Catalogue::open(config.database_path, Catalogue::Mode::create);
    const CatalogueImportResult result = import_catalogue(catalogue.database(), file, {force});
    std::int64_t total = 0;
    for (const auto& [table, rows] : result.rows_by_table) total += rows;
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"catalogue", config.database_path.string()},
                            {"file", file},
                            {"rows", result.rows_by_table},
                            {"rows_replaced", result.rows_replaced}});
        return;
    }
    console.summary("imported " + std::to_string(total) + " rows from " + file + " into " +
                    config.database_path.string() +
                    (result.rows_replaced ? " (replaced " + std::to_string(result.rows_replaced) + " rows)" : ""));
    for (const auto& [table, rows] : result.rows_by_table)
        if (rows) console.detail("  " + table + ": " + std::to_string(rows));
}

nlohmann::json migrations_json(const std::vector<Migration>& migrations) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& migration : migrations) list.push_back({{"version", migration.version}, {"name", migration.name}});
    return list;
}

std::string migrations_text(const std::vector<Migration>& migrations) {
    std::vector<std::string> names;
    for (const auto& migration : migrations)
        names.push_back(std::to_string(migration.version) + " " + std::string(migration.name));
    return join(names, ", ");
}

void init_catalogue(AppContext& context) {
    const std::filesystem::path& file = context.config().database_path;
    const bool created = create_catalogue(file);
    const SchemaStatus status = read_schema_status(file);
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"catalogue", file.string()}, {"created", created}, {"schema_version", status.version}});
        return;
    }
    console.summary(std::string(created ? "created catalogue: " : "catalogue ready: ") + file.string() +
                    " (schema version " + std::to_string(status.version) + ")");
}

void show_schema_status(AppContext& context) {
    const SchemaStatus status = read_schema_status(context.config().database_path);
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"catalogue", status.file.string()},
                            {"exists", status.exists},
                            {"schema_version", status.version},
                            {"expected_version", status.expected},
                            {"pending_migrations", migrations_json(status.pending)}});
        return;
    }
    KeyValueList list;
    list.add("catalogue", status.file.string() + (status.exists ? "" : " (does not exist; run chantal db init)"));
    list.add("schema version", std::to_string(status.version));
    list.add("this chantal expects", std::to_string(status.expected));
    list.add("pending migrations", status.pending.empty() ? "none" : migrations_text(status.pending));
    list.print(std::cout);
}

void upgrade(AppContext& context) {
    const SchemaUpgrade result = upgrade_schema(context.config().database_path);
    Console& console = context.console();
    if (console.json()) {
        console.print_json({{"catalogue", context.config().database_path.string()},
                            {"from_version", result.from},
                            {"to_version", result.to},
                            {"applied_migrations", migrations_json(result.applied)}});
        return;
    }
    if (result.applied.empty()) {
        console.summary("catalogue " + context.config().database_path.string() + " is current (schema version " +
                        std::to_string(result.to) + ")");
        return;
    }
    console.summary("upgraded catalogue " + context.config().database_path.string() + " from schema version " +
                    std::to_string(result.from) + " to " + std::to_string(result.to) + ": " +
                    migrations_text(result.applied));
}

}  // namespace

void register_db_commands(CLI::App& app, AppContext& context) {
    auto* db = app.add_subcommand("db", "Catalogue maintenance: init, status, upgrade, stats, vacuum, verify, export, import");
    db->require_subcommand(1);

    db->add_subcommand("init", "Create the catalogue when it does not exist (safe to repeat)")
        ->callback([&context] { init_catalogue(context); });
    db->add_subcommand("status", "The catalogue's schema version, the one this chantal expects, pending migrations")
        ->callback([&context] { show_schema_status(context); });
    db->add_subcommand("upgrade", "Apply the pending schema migrations")->callback([&context] { upgrade(context); });

    db->add_subcommand("stats", "Counts, pool size, deduplication savings, catalogue size")
        ->callback([&context] { show_stats(context); });
    db->add_subcommand("vacuum", "Checkpoint, VACUUM and ANALYZE the catalogue (safe while mounted)")
        ->callback([&context] { vacuum(context); });

    auto* verify_command = db->add_subcommand("verify", "Check the catalogue and that every pool file is there");
    auto checksums = std::make_shared<bool>(false);
    verify_command->add_flag("--checksums", *checksums, "Re-hash every pool file (slow)");
    verify_command->callback([&context, checksums] { verify(context, *checksums); });

    auto* export_command = db->add_subcommand("export", "Write the whole catalogue as JSON");
    auto output = std::make_shared<std::string>();
    export_command->add_option("-o,--output", *output, "File to write (default: standard output)");
    export_command->callback([&context, output] { export_to(context, *output); });

    auto* import_command = db->add_subcommand("import", "Load a catalogue exported with 'db export'");
    auto file = std::make_shared<std::string>();
    auto force = std::make_shared<bool>(false);
    import_command->add_option("FILE", *file, "Export file")->required();
    import_command->add_flag("--force", *force, "Replace the contents of a non-empty catalogue");
    import_command->callback([&context, file, force] { import_from(context, *file, *force); });
}

}  // namespace chantal::cli
