// The one place where chantal errors become errno values (design.md §1).
#pragma once

#include <exception>

namespace chantal::fs {

// Maps chantal::Error kinds (and their system errno, when set) to errno
// (busy, a catalogue still locked after -o catalogue_wait, is EIO);
// std::bad_alloc to ENOMEM; anything else to EIO.
int errno_for(const std::exception& error) noexcept;

}  // namespace chantal::fs
