// The one error vocabulary of Chantal.
//
// Every failure in core/ and metadata/ is thrown as chantal::Error. The CLI
// prints what() as one "error: ..." line and exits 1; the FUSE daemon maps
// kind() (and system_errno(), when set) to an errno in exactly one place.
// Messages name the thing that failed (repo id, file and line, URL without
// credentials) and never contain secrets.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>
#include <utility>

namespace chantal {

enum class ErrorKind {
    invalid_input,   // bad config, bad metadata, bad argument value
    not_found,       // a repo, snapshot, view, package or file that does not exist
    already_exists,  // a name that must be unique is taken
    conflict,        // the operation would break something (e.g. delete a used snapshot)
    corrupt,         // stored data fails a check (checksum, size, integrity)
    io,              // a system call failed; system_errno() says why
    network,         // a transfer failed after its retries
    unsupported,     // a format or feature Chantal does not handle (md5, newer schema)
    busy,            // a lock could not be taken in time
    internal,        // a bug: an invariant did not hold
};

class Error : public std::runtime_error {
public:
    // `detail` is for diagnosis only (the CLI shows it with -v): e.g. the SQL
    // statement and SQLite's own words behind a catalogue failure.
    Error(ErrorKind kind, const std::string& message, int system_errno = 0, std::string detail = {})
        : std::runtime_error(message), kind_(kind), system_errno_(system_errno), detail_(std::move(detail)) {}

    static Error invalid_input(const std::string& message) { return {ErrorKind::invalid_input, message}; }
    static Error not_found(const std::string& message) { return {ErrorKind::not_found, message}; }
    static Error already_exists(const std::string& message) { return {ErrorKind::already_exists, message}; }
    static Error conflict(const std::string& message) { return {ErrorKind::conflict, message}; }
    static Error corrupt(const std::string& message) { return {ErrorKind::corrupt, message}; }
    static Error network(const std::string& message) { return {ErrorKind::network, message}; }
    static Error unsupported(const std::string& message) { return {ErrorKind::unsupported, message}; }
    static Error busy(const std::string& message) { return {ErrorKind::busy, message}; }
    static Error internal(const std::string& message) { return {ErrorKind::internal, message}; }
    // "<what>: <strerror(err)>", keeping err for the FUSE edge.
    static Error io(const std::string& what, int err);

    ErrorKind kind() const noexcept { return kind_; }
    int system_errno() const noexcept { return system_errno_; }
    const std::string& detail() const noexcept { return detail_; }
    // A file system ran out of space (or of the user's quota).
    bool is_no_space() const noexcept {
        return kind_ == ErrorKind::io && (system_errno_ == ENOSPC || system_errno_ == EDQUOT);
    }

private:
    ErrorKind kind_;
    int system_errno_;
    std::string detail_;
};

}  // namespace chantal
