// chantal manual: the chantal(1) page in roff. Every command and
// option comes from the command definitions; the prose around them is here.
#include <iostream>

#include "cli/command_tree.h"
#include "cli/manual_page.h"
#include "cli/setup_commands.h"

namespace chantal::cli {
namespace {

ManualPage chantal_manual_page() {
    ManualPage page;
    page.program = "chantal";
    page.section = 1;
    page.version = std::string("chantal ") + CHANTAL_VERSION;
    page.summary = "mirror package repositories into snapshots and views";
    page.synopsis = "[-c FILE] [--format table|json] [-v|-q] COMMAND [SUBCOMMAND] [OPTIONS]";
    page.sections_before = {
        {"Description",
         "chantal mirrors RPM (yum/dnf) repositories into a SHA-256 content-addressed pool with a SQLite "
         "catalogue, freezes them into immutable snapshots and combines them into views. chantalfs(8) serves "
         "all of them as a read-only file system tree that a web server publishes directly; chantal export and "
         "chantal publish write the same tree as static files.\n"
         "\n"
         "Global options may be given before or after the command. With --format json, lists, reports and "
         "statistics are printed as JSON on standard output. Errors are one line on standard error, starting "
         "with \"error:\". With -q nothing but errors goes to standard error and the summary lines of actions "
         "are left out; -v adds each stage with its time. A long operation shows a progress bar on a terminal "
         "and stays quiet in a pipe.\n"
         "\n"
         "A mirror is set up with:\n"
         "  chantal config check\n"
         "  chantal init\n"
         "  chantal repo sync --all\n"
         "  chantal snapshot create --repo-id rhel9-baseos --name 2025-06\n"},
        {"Configuration",
         "The configuration is one YAML file (and the files it includes), described in chantal-config(5). "
         "chantal uses the first of: the --config option, $CHANTAL_CONFIG, /etc/chantal/config.yaml, "
         "~/.config/chantal/config.yaml and ./config.yaml. chantal config check loads and validates it "
         "without touching storage."},
    };
    page.sections_after = {
        {"Exit status",
         "0: success.\n"
         "\n"
         "1: the command failed; one \"error:\" line names what failed (repository, file, URL without "
         "credentials).\n"
         "\n"
         "2: usage error: an unknown command, option or option value, a missing required option; also an "
         "invalid configuration reported by chantal config check.\n"
         "\n"
         "3: busy: another chantal command holds what this one needs (for example a repository's sync lock); "
         "nothing was changed, try again later.\n"
         "\n"
         "With --format json a failed command prints a JSON object with the fields status, error and "
         "exit_status on standard output, unless it printed a result of its own."},
        {"Environment",
         "CHANTAL_CONFIG: the configuration file, when --config is not given.\n"
         "\n"
         "http_proxy, https_proxy, no_proxy: used for downloads unless the configuration sets a proxy."},
        {"Files",
         "/etc/chantal/config.yaml: the system-wide configuration.\n"
         "\n"
         "/var/lib/chantal: the default storage.base_path: the catalogue chantal.db, the pool and temporary "
         "files."},
        {"See also",
         "chantalfs(8), chantal-config(5), mount.fuse3(8). The operations guide (systemd units, nginx, fstab) "
         "is installed as share/doc/chantal/operations.md."},
    };
    return page;
}

}  // namespace

void register_manual_command(CLI::App& root) {
    auto* manual = root.add_subcommand(
        "manual", "Print this manual page, chantal(1), in roff (installed by the build; or: man -l <(chantal manual))");
    manual->callback([&root] { std::cout << manual_page_roff(describe_commands(root), chantal_manual_page()); });
}

}  // namespace chantal::cli
