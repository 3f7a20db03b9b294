// The exit statuses of chantal, as README documents them.
#pragma once

#include "core/base/error.h"

namespace chantal::cli {

enum class ExitStatus {
    success = 0,
    failure = 1,  // something failed; one "error: ..." line says what
    usage = 2,    // the command line is wrong (unknown command, option or value)
    busy = 3,     // another chantal command holds what this one needs; nothing was changed, try again later
};

inline ExitStatus exit_status_for(const Error& error) {
    return error.kind() == ErrorKind::busy ? ExitStatus::busy : ExitStatus::failure;
}

// "ok", "failed", "usage", "busy": the status word of JSON results.
inline const char* exit_status_name(ExitStatus status) {
    switch (status) {
        case ExitStatus::success: return "ok";
        case ExitStatus::failure: return "failed";
        case ExitStatus::usage: return "usage";
        case ExitStatus::busy: return "busy";
    }
    return "failed";
}

}  // namespace chantal::cli
