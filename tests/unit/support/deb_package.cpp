#include "support/deb_package.h"

#include <stdexcept>

#include "support/temp_dir.h"

namespace chantal::test_support {

std::filesystem::path build_deb(const std::filesystem::path& dir, const std::string& file_stem, const std::string& control,
                                const std::string& content, bool checked) {
    const auto root = dir / (file_stem + "-root");
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "DEBIAN");
    write_text(root / "DEBIAN/control", control);
    write_text(root / "usr/share/doc" / file_stem / "README", content);
    const auto deb = dir / (file_stem + ".deb");
    std::string output;
    const int status = run_command(std::string("dpkg-deb --root-owner-group ") + (checked ? "" : "--nocheck ") +
                                       "--build " + root.string() + " " + deb.string(),
                                   &output);
    if (status != 0) throw std::runtime_error("dpkg-deb failed:\n" + output);
    return deb;
}

}  // namespace chantal::test_support
