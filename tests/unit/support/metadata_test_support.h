// Helpers shared by the metadata unit tests (header-only).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "core/base/error.h"
#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"

namespace chantal::metadata::test {

inline std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::string decompress(std::string_view data, const std::string& name = "data.gz",
                              std::uint64_t limit = 1ull << 32) {
    MemorySource source(data, name);
    DecompressingReader reader(source, limit);
    return reader.read_all();
}

// Runs body, expects a chantal::Error of `kind` whose message contains every
// one of `fragments`; returns the message.
inline std::string expect_error(const std::function<void()>& body, ErrorKind kind,
                                std::initializer_list<std::string> fragments) {
    try {
        body();
    } catch (const Error& error) {
        EXPECT_EQ(static_cast<int>(error.kind()), static_cast<int>(kind)) << error.what();
        for (const std::string& fragment : fragments)
            EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
                << "message \"" << error.what() << "\" lacks \"" << fragment << "\"";
        return error.what();
    }
    ADD_FAILURE() << "no chantal::Error thrown";
    return {};
}

}  // namespace chantal::metadata::test
