// chantalfs: the read-only FUSE tree of repos, snapshots and views.
//
//   chantalfs [--config FILE] MOUNTPOINT [-f] [-s] [-d] [-o OPT[,OPT...]]
//   chantalfs CONFIG MOUNTPOINT -o OPTS          (mount.fuse3 / fstab form)
//
// Options of our own (-o), never passed to libfuse: grace=SECONDS (default
// storage.metadata_grace_period), nopassthrough, catalogue_wait=SECONDS
// (default 30), log=FILE (append log lines there, foreground or background),
// nonempty (mount over a directory that has entries; libfuse 3 no longer
// knows this option). fstab-only options that reach us (nofail, _netdev, auto,
// noauto, user, users, nouser, defaults, x-*, X-*, comment=*) are dropped;
// every other -o option goes to libfuse (allow_other, ro, nosuid,
// auto_unmount, ...). Always mounted ro,default_permissions.
//
// The mount point (fs/mountpoint.h): a live mount there (chantalfs or any
// other) is refused, naming its type and source; a dead chantalfs mount
// (its daemon was killed) is detached and taken over; a non-empty directory
// is refused unless -o nonempty. Exit status 1 for a refused or failed mount,
// 2 for a usage error; 0 on SIGTERM/SIGINT/SIGHUP and on `fusermount3 -u`.
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/catalogue/catalogue.h"
#include "core/config/config.h"
#include "fs/context.h"
#include "fs/fuse_access.h"
#include "fs/log.h"
#include "fs/mountpoint.h"
#include "fs/ops.h"
#include "fs/watcher.h"

namespace {

using chantal::fs::Options;

// -o grace not given: storage.metadata_grace_period of the config applies.
constexpr unsigned kGraceFromConfig = ~0U;

struct ParseState {
    Options options;
    std::vector<std::string> positional;
    char* config = nullptr;
    char* log_file = nullptr;
    unsigned grace = kGraceFromConfig;
    unsigned catalogue_wait = 30;
    int nopassthrough = 0;
    int nonempty = 0;
    bool allow_other = false;  // seen on its way to libfuse
    int help = 0;
    int version = 0;
};

enum Key { key_foreground, key_single, key_debug };

const fuse_opt kOptions[] = {
    {"--config %s", offsetof(ParseState, config), 0},
    {"--config=%s", offsetof(ParseState, config), 0},
    {"-c %s", offsetof(ParseState, config), 0},
    {"grace=%u", offsetof(ParseState, grace), 0},
    {"catalogue_wait=%u", offsetof(ParseState, catalogue_wait), 0},
    {"nopassthrough", offsetof(ParseState, nopassthrough), 1},
    {"nonempty", offsetof(ParseState, nonempty), 1},
    {"log=%s", offsetof(ParseState, log_file), 0},
    {"-h", offsetof(ParseState, help), 1},
    {"--help", offsetof(ParseState, help), 1},
    {"-V", offsetof(ParseState, version), 1},
    {"--version", offsetof(ParseState, version), 1},
    FUSE_OPT_KEY("-f", key_foreground),
    FUSE_OPT_KEY("-s", key_single),
    FUSE_OPT_KEY("-d", key_debug),
    FUSE_OPT_KEY("debug", key_debug),
    FUSE_OPT_END,
};

// Options meant for mount(8), systemd or fstab readers, not for the file
// system; mount.fuse3 drops some of them itself, not all (x-systemd.*).
bool is_fstab_only_option(std::string_view option) {
    for (std::string_view word : {"nofail", "_netdev", "auto", "noauto", "user", "users", "nouser", "defaults"})
        if (option == word) return true;
    return option.starts_with("x-") || option.starts_with("X-") || option.starts_with("comment=");
}

int parse_option(void* data, const char* arg, int key, fuse_args*) {
    auto& state = *static_cast<ParseState*>(data);
    switch (key) {
        case FUSE_OPT_KEY_NONOPT: state.positional.emplace_back(arg); return 0;
        case FUSE_OPT_KEY_OPT:
            if (std::string_view(arg) == "allow_other") state.allow_other = true;
            return is_fstab_only_option(arg) ? 0 : 1;
        case key_foreground: state.options.foreground = true; return 0;
        case key_single: state.options.single_thread = true; return 0;
        case key_debug: state.options.foreground = true; return 1;  // keep "-d": libfuse prints requests
        default: return 1;  // mount options (allow_other, ...) go to libfuse
    }
}

void usage() {
    std::printf(
        "usage: chantalfs [--config FILE] MOUNTPOINT [-f] [-s] [-d] [-o OPT[,OPT...]]\n"
        "       chantalfs CONFIG MOUNTPOINT -o OPTS      (mount.fuse3 / fstab form)\n\n"
        "Mounts Chantal's read-only tree (repos/ID/latest, repos/ID/snapshots/NAME,\n"
        "views/V/latest, views/V/snapshots/NAME) at MOUNTPOINT.\n\n"
        "  --config FILE    configuration (default: $CHANTAL_CONFIG, /etc/chantal/config.yaml, ...)\n"
        "  -f               stay in the foreground\n"
        "  -s               single-threaded\n"
        "  -d               debug (foreground, print every request)\n"
        "  -o grace=SECONDS keep files of a moved latest readable this long\n"
        "                   (default: storage.metadata_grace_period, 600)\n"
        "  -o nopassthrough serve reads by splice even where FUSE passthrough works\n"
        "  -o catalogue_wait=SECONDS  wait this long for a locked catalogue, then EIO (default 30)\n"
        "  -o log=FILE      append log lines to FILE, with timestamps (foreground and background;\n"
        "                   default: stderr with -f, syslog without)\n"
        "  -o nonempty      mount over a directory that has entries (they are hidden meanwhile)\n"
        "  -o allow_other   let other users (nginx's www-data) read the mount\n"
        "MOUNTPOINT must not be a mount point: a live mount there is refused; a dead\n"
        "chantalfs mount (its daemon was killed) is detached and taken over.\n"
        "Unmount with: fusermount3 -u MOUNTPOINT (or SIGTERM); under a running nginx,\n"
        "fusermount3 -u -z MOUNTPOINT (nginx's open_file_cache keeps files open)\n");
}

// libfuse's messages, into the log file when there is one (stderr is
// /dev/null once the daemon has detached).
void log_libfuse_message(fuse_log_level, const char* format, va_list arguments) {
    char text[1024];
    std::vsnprintf(text, sizeof text, format, arguments);
    std::string message(text);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    chantal::fs::log_line(message);
}

// Refuses what must not be mounted over, detaches a dead chantalfs mount.
void prepare_mountpoint(const std::string& mountpoint, bool allow_nonempty) {
    const auto state = chantal::fs::inspect_mountpoint(mountpoint);
    if (chantal::fs::decide_mountpoint(state, allow_nonempty) != chantal::fs::MountpointAction::take_over) return;
    chantal::fs::detach_dead_mount(state.path);
    chantal::fs::log_line("took over " + state.path + ": detached the dead chantalfs mount there " +
                          "(Transport endpoint is not connected; its daemon is gone)");
}

int run(int argc, char** argv) {
    fuse_args args = FUSE_ARGS_INIT(argc, argv);
    ParseState state;
    if (fuse_opt_parse(&args, &state, kOptions, parse_option) != 0) return 2;
    std::unique_ptr<fuse_args, void (*)(fuse_args*)> args_owner(&args, fuse_opt_free_args);
    std::unique_ptr<char, void (*)(void*)> config_owner(state.config, std::free);
    std::unique_ptr<char, void (*)(void*)> log_file_owner(state.log_file, std::free);
    if (state.help) return usage(), 0;
    if (state.version) return std::printf("chantalfs %s (libfuse %s)\n", CHANTAL_VERSION, fuse_pkgversion()), 0;
    Options options = state.options;
    options.catalogue_wait_seconds = state.catalogue_wait;
    options.passthrough = state.nopassthrough == 0;
    if (state.config) options.config_file = state.config;
    if (state.positional.size() == 2 && options.config_file.empty()) {
        options.config_file = state.positional[0];
        options.mountpoint = state.positional[1];
    } else if (state.positional.size() == 1) {
        options.mountpoint = state.positional[0];
    } else {
        usage();
        return 2;
    }
    fuse_opt_add_arg(&args, "-oro,default_permissions,fsname=chantal,subtype=chantalfs");
    if (state.log_file) {
        // Absolute: fuse_daemonize() changes to "/", the file stays open across it.
        chantal::fs::log_to_file(std::filesystem::absolute(state.log_file));
        fuse_set_log_func(log_libfuse_message);
    }

    const auto config = chantal::load_config(chantal::discover_config_file(
        options.config_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(options.config_file)));
    options.grace_seconds = state.grace == kGraceFromConfig
                                ? static_cast<unsigned>(config.storage.metadata_grace_period)
                                : state.grace;
    if (options.grace_seconds > static_cast<unsigned>(config.storage.metadata_grace_period))
        chantal::fs::log_line("warning: -o grace=" + std::to_string(options.grace_seconds) +
                              " is longer than storage.metadata_grace_period (" +
                              std::to_string(config.storage.metadata_grace_period) +
                              " s): pool cleanup may remove retired files this mount still names");
    // Fail early and clearly (missing catalogue, newer schema) before mounting.
    chantal::Catalogue::open(config.database_path, chantal::Catalogue::Mode::read_only);
    chantal::fs::Context context(config, options);
    // A signing key that cannot be used (missing, wrong passphrase) fails
    // the mount now rather than every client of the trees it signs.
    for (const auto& repository : config.repositories)
        if (repository.signing) context.signing_keys.key(*repository.signing);
    for (const auto& view : config.views)
        if (view.signing) context.signing_keys.key(*view.signing);

    const auto operations = chantal::fs::make_operations();
    std::unique_ptr<fuse_session, void (*)(fuse_session*)> session(
        fuse_session_new(&args, &operations, sizeof operations, &context), fuse_session_destroy);
    if (!session) return 1;
    if (fuse_set_signal_handlers(session.get()) != 0) return 1;
    struct SignalHandlers {
        fuse_session* se;
        ~SignalHandlers() { fuse_remove_signal_handlers(se); }
    } handlers{session.get()};
    prepare_mountpoint(options.mountpoint, state.nonempty != 0);
    if (context.passthrough.mount(session.get(), options.mountpoint.c_str(), options.passthrough) != 0) {
        const auto advice = chantal::fs::fuse_access_advice(chantal::fs::current_fuse_access(state.allow_other));
        if (!advice.empty()) chantal::fs::log_line(advice);
        return 1;
    }
    struct Mount {
        fuse_session* se;
        ~Mount() { fuse_session_unmount(se); }
    } mount{session.get()};
    // The read mode is logged once, at INIT (op_init), which the loop below handles.
    if (fuse_daemonize(options.foreground ? 1 : 0) != 0) return 1;
    if (!options.foreground) chantal::fs::log_to_syslog();
    context.session = session.get();

    chantal::fs::Watcher watcher(context);
    watcher.start();
    int result;
    if (options.single_thread) {
        result = fuse_session_loop(session.get());
    } else {
        std::unique_ptr<fuse_loop_config, void (*)(fuse_loop_config*)> loop(fuse_loop_cfg_create(),
                                                                            fuse_loop_cfg_destroy);
        fuse_loop_cfg_set_clone_fd(loop.get(), 0);
        fuse_loop_cfg_set_max_threads(loop.get(), 16);
        fuse_loop_cfg_set_idle_threads(loop.get(), 4);
        result = fuse_session_loop_mt(session.get(), loop.get());
    }
    watcher.stop();
    context.session = nullptr;
    // libfuse returns the number of the signal that ended the loop (its
    // handlers cover SIGTERM, SIGINT, SIGHUP): asked to stop, so a clean exit.
    if (result == SIGTERM || result == SIGINT || result == SIGHUP) {
        chantal::fs::log_line(std::string("stopping on SIG") + sigabbrev_np(result));
        result = 0;
    }
    chantal::fs::log_line("unmounted " + options.mountpoint);
    return result == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "chantalfs: error: %s\n", error.what());
        if (chantal::fs::logging_to_file()) chantal::fs::log_line(std::string("error: ") + error.what());
        return 1;
    }
}
