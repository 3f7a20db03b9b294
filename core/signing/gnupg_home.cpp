#include "core/signing/gnupg_home.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/base/file_util.h"

extern char** environ;

namespace chantal {
namespace {

// Runs `gpgconf --homedir HOME <arguments>` without a shell, its output
// discarded, and waits for it. Failures are ignored: nothing may be running.
void run_gpgconf(const std::filesystem::path& home, std::vector<std::string> arguments) noexcept {
    arguments.insert(arguments.begin(), {"gpgconf", "--homedir", home.string()});
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    if (posix_spawn_file_actions_init(&actions) != 0) return;
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t child = 0;
    const int spawned = posix_spawnp(&child, "gpgconf", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return;
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
}

// Stops the home's daemons (gpg-agent, dirmngr, keyboxd) and removes the
// home with its socket directory (below /run/user/UID/gnupg when that
// exists). A daemon removes its socket as it exits, possibly while the tree
// is being removed, so removal is retried briefly.
void dispose_temporary_home(const std::filesystem::path& home) noexcept {
    run_gpgconf(home, {"--kill", "all"});
    run_gpgconf(home, {"--remove-socketdir"});
    for (int attempt = 0; attempt < 50; ++attempt) {
        std::error_code error;
        std::filesystem::remove_all(home, error);
        if (!std::filesystem::exists(home, error)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

GnupgHome GnupgHome::temporary(const std::filesystem::path& parent) {
    chantal::create_directories(parent);
    std::string pattern = (parent / "gpg-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw Error::io("cannot create a GnuPG home in " + parent.string(), errno);
    return GnupgHome(pattern, true);
}

GnupgHome GnupgHome::existing(const std::filesystem::path& directory, bool create) {
    std::error_code error;
    if (create && !std::filesystem::exists(directory, error)) {
        if (directory.has_parent_path()) chantal::create_directories(directory.parent_path());
        if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
            throw Error::io("cannot create GnuPG home " + directory.string(), errno);
    }
    if (!std::filesystem::is_directory(directory, error))
        throw Error::not_found("GnuPG home " + directory.string() + " is not a directory");
    return GnupgHome(directory, false);
}

GnupgHome::GnupgHome(GnupgHome&& other) noexcept
    : path_(std::exchange(other.path_, {})), temporary_(std::exchange(other.temporary_, false)) {}

GnupgHome& GnupgHome::operator=(GnupgHome&& other) noexcept {
    if (this != &other) {
        if (temporary_) dispose_temporary_home(path_);
        path_ = std::exchange(other.path_, {});
        temporary_ = std::exchange(other.temporary_, false);
    }
    return *this;
}

GnupgHome::~GnupgHome() {
    if (temporary_) dispose_temporary_home(path_);
}

}  // namespace chantal
