// How far a pass over files has come (a verify, an export): counts and
// bytes of the files done so far and in all. Plain data; the callbacks that
// receive it run on the working thread.
#pragma once

#include <cstdint>

namespace chantal {

struct FileProgress {
    std::uint64_t files_done = 0;
    std::uint64_t files_total = 0;
    std::uint64_t bytes_done = 0;   // bytes of the files done (their catalogued sizes)
    std::uint64_t bytes_total = 0;
};

}  // namespace chantal
