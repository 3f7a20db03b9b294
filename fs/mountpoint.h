// What is at a mount point before chantalfs mounts there, and whether it may.
//
// chantalfs never stacks on a mount: a second mount on top would hide the
// first one's options (allow_other) from nginx. It refuses a live mount of
// any kind and a directory with entries (unless -o nonempty), and it takes
// over a dead chantalfs mount (its daemon was killed: every access fails
// with ENOTCONN) by detaching it lazily first. The check and the mount are
// two steps: a mount made between them by someone else is not seen.
//
// Parsing is pure (unit-tested); inspect_mountpoint and detach_dead_mount
// touch the system. Errors are thrown as chantal::Error. Thread safety: none
// needed (called once, from main, before the FUSE loop starts).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chantal::fs {

// One line of /proc/self/mountinfo (proc(5)); paths unescaped.
struct MountEntry {
    std::string mount_point;  // absolute, as seen from this process's root
    std::string fstype;       // "fuse.chantalfs", "tmpfs", ...
    std::string source;       // "chantal", "/dev/sda1", ...
};

// mountinfo writes space, tab, newline and backslash in paths as \ooo (\040).
std::string unescape_mountinfo_field(std::string_view field);
// nullopt for a line that does not have mountinfo's shape.
std::optional<MountEntry> parse_mountinfo_line(std::string_view line);
// The mount on top at `mount_point` (the last one listed there), if any.
std::optional<MountEntry> topmost_mount_at(std::string_view mountinfo, std::string_view mount_point);

// The fstype chantalfs mounts with (fuse + subtype=chantalfs).
inline constexpr std::string_view kChantalfsType = "fuse.chantalfs";

struct MountpointState {
    std::string path;                 // canonical absolute path
    std::optional<MountEntry> mount;  // the topmost mount at `path`
    bool not_connected = false;       // a forced stat failed with ENOTCONN: a dead FUSE mount
    std::string first_entry;          // a name in the directory, "" when empty (no mount there)
};

enum class MountpointAction {
    mount,     // nothing in the way
    take_over  // a dead chantalfs mount: detach it, then mount
};

// Reads the state of `path` (a directory, given as on the command line).
MountpointState inspect_mountpoint(const std::string& path);
// What to do with `state`; throws Error::conflict naming what is in the way
// (fstype and source of a mount, or the entries of a directory).
MountpointAction decide_mountpoint(const MountpointState& state, bool allow_nonempty);
// Detaches the mount at `path` lazily: umount2(MNT_DETACH) as root, else
// `fusermount3 -u -z`. Throws Error when both fail.
void detach_dead_mount(const std::string& path);

}  // namespace chantal::fs
