#include "metadata/deb/checksum_lines.h"

#include <charconv>

#include "core/base/error.h"
#include "core/base/hash.h"

namespace chantal::metadata {
namespace {

std::vector<std::string_view> split_blanks(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t position = 0;
    while (position < line.size()) {
        const std::size_t start = line.find_first_not_of(" \t", position);
        if (start == std::string_view::npos) break;
        std::size_t end = line.find_first_of(" \t", start);
        if (end == std::string_view::npos) end = line.size();
        words.push_back(line.substr(start, end - start));
        position = end;
    }
    return words;
}

}  // namespace

std::vector<ChecksumLine> read_checksum_lines(std::string_view value, std::string_view field) {
    std::vector<ChecksumLine> lines;
    std::size_t position = 0;
    while (position < value.size()) {
        std::size_t end = value.find('\n', position);
        if (end == std::string_view::npos) end = value.size();
        const std::string_view line = value.substr(position, end - position);
        position = end + 1;
        const auto words = split_blanks(line);
        if (words.empty()) continue;
        if (words.size() != 3 || !is_hex_digest(words[0], HashAlgorithm::sha256))
            throw Error::corrupt(std::string(field) + " line is not '<sha256> <size> <name>': '" + std::string(line) + "'");
        ChecksumLine entry;
        const auto [number_end, error] = std::from_chars(words[1].data(), words[1].data() + words[1].size(), entry.size);
        if (error != std::errc() || number_end != words[1].data() + words[1].size())
            throw Error::corrupt("bad size in " + std::string(field) + ": '" + std::string(line) + "'");
        entry.sha256 = words[0];
        entry.name = words[2];
        lines.push_back(std::move(entry));
    }
    return lines;
}

}  // namespace chantal::metadata
