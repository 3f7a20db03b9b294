#include "core/snapshots/snapshot_name.h"

#include "core/base/error.h"

namespace chantal {

void validate_snapshot_name(std::string_view name) {
    const std::string quoted = "'" + std::string(name.substr(0, kMaxSnapshotNameLength)) + "'";
    if (name.empty()) throw Error::invalid_input("snapshot name must not be empty");
    if (name.size() > kMaxSnapshotNameLength)
        throw Error::invalid_input("snapshot name is longer than " + std::to_string(kMaxSnapshotNameLength) +
                                   " bytes");
    for (char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f)
            throw Error::invalid_input("snapshot name must not contain control characters");
        if (c == '/') throw Error::invalid_input("snapshot name " + quoted + " must not contain '/'");
    }
    if (name == "." || name == "..") throw Error::invalid_input("snapshot name " + quoted + " is not allowed");
    if (name == "latest")
        throw Error::invalid_input("snapshot name 'latest' is reserved for the current state");
    if (name.front() == '-') throw Error::invalid_input("snapshot name " + quoted + " must not start with '-'");
    for (char c : name) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                             c == '_' || c == '-';
        if (!allowed)
            throw Error::invalid_input("snapshot name " + quoted +
                                       " may contain only letters A-Z and a-z, digits, '.', '_' and '-' (it becomes "
                                       "part of client URLs)");
    }
}

std::string view_member_snapshot_name(std::string_view view, std::string_view name) {
    return std::string(view) + "-" + std::string(name);
}

}  // namespace chantal
