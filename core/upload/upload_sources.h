// The files `package upload --directory DIR [--recursive]` takes: every
// regular file named *.rpm in DIR (and, recursive, below it; symbolic links
// to files are followed, to directories not), sorted by path so that an
// upload's order does not depend on the file system.
#pragma once

#include <filesystem>
#include <vector>

namespace chantal {

// Throws Error::not_found when `directory` is not a directory,
// Error::invalid_input when it holds no *.rpm file, Error::io on a read error.
std::vector<std::filesystem::path> package_files_in(const std::filesystem::path& directory, bool recursive);

}  // namespace chantal
