// The files `package upload --directory DIR [--recursive]` takes: every
// regular file named *<extension> (the repository's format's: ".rpm",
// ".deb"; PackageFileReader::file_extension) in DIR (and, recursive, below it; symbolic links
// to files are followed, to directories not), sorted by path so that an
// upload's order does not depend on the file system.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace chantal {

// Throws Error::not_found when `directory` is not a directory,
// Error::invalid_input when it holds no such file, Error::io on a read error.
std::vector<std::filesystem::path> package_files_in(const std::filesystem::path& directory, bool recursive,
                                                    std::string_view extension);

}  // namespace chantal
