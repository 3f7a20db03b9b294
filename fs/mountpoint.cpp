#include "fs/mountpoint.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/base/error.h"

extern char** environ;

namespace chantal::fs {
namespace {

namespace sfs = std::filesystem;

bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }

std::vector<std::string_view> split_on_spaces(std::string_view line) {
    std::vector<std::string_view> fields;
    while (!line.empty()) {
        const auto space = line.find(' ');
        if (space != 0) fields.push_back(line.substr(0, space));
        if (space == std::string_view::npos) break;
        line.remove_prefix(space + 1);
    }
    return fields;
}

std::string read_mountinfo() {
    std::ifstream file("/proc/self/mountinfo");
    if (!file) throw Error::io("reading /proc/self/mountinfo (is /proc mounted?)", errno);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// The path libfuse will mount at, resolved like the kernel resolves it. A
// dead mount cannot be resolved itself (ENOTCONN), so its parent is.
std::string canonical_mountpoint(const std::string& path) {
    std::error_code error;
    auto resolved = sfs::canonical(path, error);
    if (!error) return resolved.string();
    auto absolute = sfs::absolute(path).lexically_normal();
    if (!absolute.has_filename()) absolute = absolute.parent_path();
    auto parent = sfs::canonical(absolute.parent_path(), error);
    if (error) throw Error::io("mount point " + path, error.value());
    return (parent / absolute.filename()).string();
}

// The name of one entry of directory `path`, or "" when it has none.
std::string first_entry(const std::string& path) {
    std::error_code error;
    sfs::directory_iterator entries(path, error);
    if (error) throw Error::io("reading mount point " + path, error.value());
    if (entries == sfs::directory_iterator()) return {};
    return entries->path().filename().string();
}

std::string describe(const MountEntry& mount) { return mount.fstype + " from " + mount.source; }

}  // namespace

std::string unescape_mountinfo_field(std::string_view field) {
    std::string text;
    text.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && is_octal_digit(field[i + 1]) &&
            is_octal_digit(field[i + 2]) && is_octal_digit(field[i + 3])) {
            text += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
            i += 3;
        } else {
            text += field[i];
        }
    }
    return text;
}

std::optional<MountEntry> parse_mountinfo_line(std::string_view line) {
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    const auto fields = split_on_spaces(line);
    if (fields.size() < 10) return std::nullopt;
    std::size_t separator = 6;
    while (separator < fields.size() && fields[separator] != "-") ++separator;
    if (separator + 2 >= fields.size()) return std::nullopt;
    return MountEntry{unescape_mountinfo_field(fields[4]), unescape_mountinfo_field(fields[separator + 1]),
                      unescape_mountinfo_field(fields[separator + 2])};
}

std::optional<MountEntry> topmost_mount_at(std::string_view mountinfo, std::string_view mount_point) {
    std::optional<MountEntry> topmost;
    while (!mountinfo.empty()) {
        const auto end = mountinfo.find('\n');
        auto entry = parse_mountinfo_line(mountinfo.substr(0, end));
        if (entry && entry->mount_point == mount_point) topmost = std::move(entry);
        if (end == std::string_view::npos) break;
        mountinfo.remove_prefix(end + 1);
    }
    return topmost;
}

MountpointState inspect_mountpoint(const std::string& path) {
    MountpointState state;
    state.path = canonical_mountpoint(path);
    // Forced: a dead FUSE mount still answers a plain stat from the kernel's
    // attribute cache; only a request to its (gone) daemon says ENOTCONN.
    struct statx status {};
    if (::statx(AT_FDCWD, state.path.c_str(), AT_STATX_FORCE_SYNC, STATX_TYPE, &status) != 0) {
        if (errno != ENOTCONN) throw Error::io("mount point " + path, errno);
        state.not_connected = true;
    }
    state.mount = topmost_mount_at(read_mountinfo(), state.path);
    if (state.mount || state.not_connected) return state;
    if (!S_ISDIR(status.stx_mode)) throw Error::invalid_input("mount point " + path + " is not a directory");
    state.first_entry = first_entry(state.path);
    return state;
}

MountpointAction decide_mountpoint(const MountpointState& state, bool allow_nonempty) {
    const std::string refusing = "refusing to mount at " + state.path + ": ";
    if (state.mount && state.not_connected && state.mount->fstype == kChantalfsType) return MountpointAction::take_over;
    if (state.mount && state.not_connected)
        throw Error::conflict(refusing + "a dead mount of another file system is there (" + describe(*state.mount) +
                              "); detach it first: fusermount3 -u -z " + state.path);
    if (state.mount)
        throw Error::conflict(refusing + "it is already a mount point (" + describe(*state.mount) +
                              "); unmount it first: fusermount3 -u " + state.path);
    if (state.not_connected)
        throw Error::conflict(refusing + "it is a dead FUSE mount that /proc/self/mountinfo does not list");
    if (!state.first_entry.empty() && !allow_nonempty)
        throw Error::conflict(refusing + "the directory is not empty (it holds '" + state.first_entry +
                              "'); use an empty directory, or -o nonempty to hide its contents while mounted");
    return MountpointAction::mount;
}

void detach_dead_mount(const std::string& path) {
    if (::umount2(path.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) return;
    if (errno != EPERM) throw Error::io("detaching the dead mount at " + path, errno);
    // Not root: fusermount3 (setuid) detaches mounts of the calling user.
    std::vector<std::string> words{"fusermount3", "-u", "-z", "--", path};
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    pid_t child = 0;
    if (const int error = ::posix_spawnp(&child, argv[0], nullptr, nullptr, argv.data(), environ); error != 0)
        throw Error::io("running fusermount3 -u -z " + path, error);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR) throw Error::io("waiting for fusermount3 -u -z " + path, errno);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error::conflict("could not detach the dead mount at " + path + " (fusermount3 -u -z failed)");
}

}  // namespace chantal::fs
