// Validation of checksum fields read from metadata (type attribute + hex
// value), with errors that name the file and line. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/base/hash.h"

namespace chantal::metadata {

// "sha"/"sha1"/"sha224"/.../"sha512"; md5 and unknown types throw
// Error::unsupported "<file> line <line>: ...".
HashAlgorithm checksum_algorithm_at(std::string_view type, const std::string& file, int line);
// Trims surrounding whitespace, lowercases, and checks that value is the
// hex digest length of algorithm; throws Error::invalid_input otherwise.
void normalize_checksum_at(std::string& value, HashAlgorithm algorithm, const std::string& file, int line);

}  // namespace chantal::metadata
