// Real .deb files for tests, built with dpkg-deb (required: a missing tool
// fails the test).
#pragma once

#include <filesystem>
#include <string>

namespace chantal::test_support {

// Builds dir/<file_stem>.deb from a control file, with one payload file
// /usr/share/doc/<file_stem>/README holding `content` (different content:
// a different file of the same package). checked = false builds with
// --nocheck, so that a control file dpkg-deb would refuse still gives a
// .deb. Throws std::runtime_error when dpkg-deb fails.
std::filesystem::path build_deb(const std::filesystem::path& dir, const std::string& file_stem, const std::string& control,
                                const std::string& content = "hello\n", bool checked = true);

}  // namespace chantal::test_support
