#include "core/base/error.h"

#include <cstring>

namespace chantal {

Error Error::io(const std::string& what, int err) {
    return Error(ErrorKind::io, what + ": " + std::strerror(err), err);
}

}  // namespace chantal
