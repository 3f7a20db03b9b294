// Advice for a mount that libfuse could not make: what an admin changes so
// that this user may mount (libfuse's own message says only what failed).
//
// Pure functions plus one that reads the system (current_fuse_access); no
// state, safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

namespace chantal::fs {

struct FuseAccess {
    uid_t uid = 0;                       // effective uid of the daemon
    int device_error = 0;                // errno of opening /dev/fuse read-write, 0 when it opens
    bool allow_other_requested = false;  // -o allow_other given
    bool user_allow_other = false;       // /etc/fuse.conf has user_allow_other
};

// True when the text of /etc/fuse.conf enables user_allow_other (a line of
// its own; '#' starts a comment).
bool fuse_conf_allows_other(std::string_view fuse_conf);
// The state of this process and this system; `allow_other_requested` as given.
FuseAccess current_fuse_access(bool allow_other_requested);
// One line (no newline) saying what to change, or "" when none of these
// explains a failed mount (root, or nothing wrong with the device and conf).
std::string fuse_access_advice(const FuseAccess& access);

}  // namespace chantal::fs
