// TempDir: a fresh directory under $TMPDIR for one test, removed (with its
// contents) on destruction.
#pragma once

#include <filesystem>
#include <string>

namespace chantal::test_support {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Writes text to path (creating parent directories).
void write_text(const std::filesystem::path& path, const std::string& text);

// Runs a shell command, returns its exit status; stdout+stderr into *output.
int run_command(const std::string& command, std::string* output = nullptr);

}  // namespace chantal::test_support
