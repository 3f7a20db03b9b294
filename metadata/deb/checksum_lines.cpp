#include "metadata/deb/checksum_lines.h"

#include <charconv>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "metadata/deb/deb822.h"

namespace chantal::metadata {
std::vector<ChecksumLine> read_checksum_lines(std::string_view value, std::string_view field) {
    std::vector<ChecksumLine> lines;
    std::size_t position = 0;
    while (position < value.size()) {
        std::size_t end = value.find('\n', position);
        if (end == std::string_view::npos) end = value.size();
        const std::string_view line = value.substr(position, end - position);
        position = end + 1;
        const auto words = deb822_words(line);
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
