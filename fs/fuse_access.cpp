#include "fs/fuse_access.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/base/unique_fd.h"

namespace chantal::fs {
namespace {

constexpr const char* kDevice = "/dev/fuse";
constexpr const char* kFuseConf = "/etc/fuse.conf";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

}  // namespace

bool fuse_conf_allows_other(std::string_view fuse_conf) {
    while (!fuse_conf.empty()) {
        const auto end = fuse_conf.find('\n');
        auto line = fuse_conf.substr(0, end);
        line = trim(line.substr(0, line.find('#')));
        if (line == "user_allow_other") return true;
        if (end == std::string_view::npos) break;
        fuse_conf.remove_prefix(end + 1);
    }
    return false;
}

FuseAccess current_fuse_access(bool allow_other_requested) {
    FuseAccess access;
    access.uid = ::geteuid();
    UniqueFd device(::open(kDevice, O_RDWR | O_CLOEXEC));
    access.device_error = device ? 0 : errno;
    access.allow_other_requested = allow_other_requested;
    std::ifstream conf(kFuseConf);
    std::ostringstream text;
    if (conf) text << conf.rdbuf();
    access.user_allow_other = fuse_conf_allows_other(text.str());
    return access;
}

std::string fuse_access_advice(const FuseAccess& access) {
    if (access.uid == 0) return {};
    const bool conf_missing = access.allow_other_requested && !access.user_allow_other;
    const std::string conf_advice =
        std::string("-o allow_other as a non-root user also needs a line user_allow_other in ") + kFuseConf;
    const std::string user = "uid " + std::to_string(access.uid);
    if (access.device_error == ENOENT || access.device_error == ENODEV)
        return std::string(kDevice) + " is missing: load the fuse module (modprobe fuse), or give the container " +
               "the device (--device " + kDevice + ")" + (conf_missing ? "; " + conf_advice : "");
    if (access.device_error != 0)
        return user + " cannot open " + kDevice + " (" + std::strerror(access.device_error) +
               "): make it readable and writable for this user, usually mode 0666, or add the user to its group " +
               "(ls -l " + kDevice + ")" + (conf_missing ? "; " + conf_advice : "");
    if (conf_missing) return conf_advice;
    return {};
}

}  // namespace chantal::fs
