// Where a generated APT tree puts a package: Debian's pool layout,
// pool/<component>/<prefix>/<source>/<file>, prefix being "lib" plus the
// next letter for sources named lib*, else the first letter
// (pool/main/libf/libfoo/..., pool/main/h/hello/...). Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chantal::metadata {

// Throws Error::invalid_input when component, source or file_name is not a
// single clean path segment (empty, ".", "..", containing '/' or control
// characters): those come from upstream data.
std::string debian_pool_path(std::string_view component, std::string_view source, std::string_view file_name);

// The component of a tree path in that layout ("main" for
// "pool/main/h/hello/..."); nullopt for a path outside pool/<component>/.
std::optional<std::string_view> pool_path_component(std::string_view path);

}  // namespace chantal::metadata
