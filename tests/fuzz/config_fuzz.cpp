// The YAML config loader as the CLI runs it (cli/context.cpp: load_config on
// a file). Each input is written to config.yaml in a private temporary
// directory and loaded from there.
//
// Includes are globs resolved against the file's directory. Inputs that
// could name a file outside that directory (an include pattern with '/' or
// '~', or a backslash escape that could spell one) are skipped: they would
// read whatever the machine has (/dev/stdin, /proc/...), which tests the
// machine, not the loader.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/config/config.h"
#include "fuzz_support.h"

namespace {

const std::filesystem::path& config_directory() {
    static const chantal::fuzz::ScratchDirectory directory("chantal-config-fuzz-");
    return directory.path();
}

bool may_leave_directory(std::string_view text) {
    const bool may_include = text.find("include") != std::string_view::npos || text.find('\\') != std::string_view::npos;
    return may_include && text.find_first_of("/~\\") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    const std::string_view text = fuzz::as_text(data, size);
    if (may_leave_directory(text)) return -1;
    const std::filesystem::path file = config_directory() / "config.yaml";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!out.flush()) std::abort();
    }
    fuzz::ignoring_invalid_input([&] {
        const Config config = load_config(file);
        for (const auto& repository : config.repositories) {
            fuzz::require(config.find_repository(repository.id) != nullptr, "every loaded repository can be found");
            fuzz::require(!repository.feed.empty(), "a loaded repository has a feed");
        }
        for (const auto& view : config.views)
            for (const auto& member : view.repos)
                fuzz::require(config.find_repository(member) != nullptr, "a view's members are configured");
    });
    return 0;
}
