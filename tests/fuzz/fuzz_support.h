// Helpers shared by the libFuzzer targets (header-only).
//
// A target feeds its parser the way sync or the CLI does. Invalid input is
// expected to end in a chantal::Error; any other exception escapes the
// target and libFuzzer reports it as a crash, as it does every sanitizer
// report. A broken property (a generated file that does not parse back)
// aborts through require().
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <stdlib.h>

#include "core/base/error.h"
#include "core/sync/rpm/metadata_loader.h"

namespace chantal::fuzz {

// The open-size a fuzzed file's repomd record declares: sync decompresses
// up to decompression_limit(open-size), so a bomb stops there.
inline constexpr std::uint64_t kDeclaredOpenSize = 4ULL << 20;

inline std::uint64_t decompression_limit() { return chantal::decompression_limit(kDeclaredOpenSize); }

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs body; a chantal::Error (the parsers' answer to bad input) ends it
// quietly. Returns whether body completed. A parser may have handed out
// records before it fails (sync's transaction then rolls them back), so
// only a completed read counts as parsed.
template <typename Body>
bool ignoring_invalid_input(Body&& body) {
    try {
        body();
        return true;
    } catch (const chantal::Error&) {
        return false;
    }
}

// Aborts (a crash libFuzzer records) when a property does not hold.
inline void require(bool holds, const char* property) {
    if (holds) return;
    std::fprintf(stderr, "fuzz property broken: %s\n", property);
    std::abort();
}

// Prints why a generated document did not read back, and the document.
inline void report_unreadable(const chantal::Error& error, std::string_view document) {
    std::fprintf(stderr, "%s\n--- generated document (first 4000 bytes) ---\n%.*s\n---\n", error.what(),
                 static_cast<int>(std::min<std::size_t>(document.size(), 4000)), document.data());
}

// Splits text at every occurrence of separator (at most max_parts parts; the
// last part keeps the rest).
inline std::vector<std::string_view> split(std::string_view text, std::string_view separator, std::size_t max_parts) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < max_parts) {
        const std::size_t at = text.find(separator);
        if (at == std::string_view::npos) break;
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + separator.size());
    }
    parts.push_back(text);
    return parts;
}

// A private temporary directory (<tmp>/<prefix>XXXXXX) for a target's
// input files, removed with the process's static objects (libFuzzer ends
// with exit()). Use one function-local static per target.
class ScratchDirectory {
public:
    explicit ScratchDirectory(const char* prefix) {
        std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::perror("mkdtemp");
            std::abort();
        }
        path_ = pattern;
    }
    ~ScratchDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace chantal::fuzz
