#include "fs/errno_map.h"

#include <cerrno>
#include <new>

#include "core/base/error.h"

namespace chantal::fs {

int errno_for(const std::exception& error) noexcept {
    if (const auto* chantal_error = dynamic_cast<const Error*>(&error)) {
        switch (chantal_error->kind()) {
            case ErrorKind::not_found: return ENOENT;
            case ErrorKind::io: return chantal_error->system_errno() != 0 ? chantal_error->system_errno() : EIO;
            case ErrorKind::unsupported: return ENOTSUP;
            case ErrorKind::busy:  // the catalogue stayed locked past -o catalogue_wait
            case ErrorKind::invalid_input:
            case ErrorKind::already_exists:
            case ErrorKind::conflict:
            case ErrorKind::corrupt:
            case ErrorKind::network:
            case ErrorKind::internal: return EIO;
        }
        return EIO;
    }
    if (dynamic_cast<const std::bad_alloc*>(&error)) return ENOMEM;
    return EIO;
}

}  // namespace chantal::fs
