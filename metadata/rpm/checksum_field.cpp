#include "metadata/rpm/checksum_field.h"

#include "core/base/error.h"

namespace chantal::metadata {

HashAlgorithm checksum_algorithm_at(std::string_view type, const std::string& file, int line) {
    try {
        return parse_hash_algorithm(type);
    } catch (const Error& error) {
        throw Error(error.kind(), file + " line " + std::to_string(line) + ": " + error.what());
    }
}

void normalize_checksum_at(std::string& value, HashAlgorithm algorithm, const std::string& file, int line) {
    std::size_t first = value.find_first_not_of(" \t\r\n");
    std::size_t last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    for (char& c : value) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    if (!is_hex_digest(value, algorithm))
        throw Error::invalid_input(file + " line " + std::to_string(line) + ": checksum \"" + value.substr(0, 200) +
                                   "\" is not a " + std::string(hash_algorithm_name(algorithm)) + " hex digest");
}

}  // namespace chantal::metadata
