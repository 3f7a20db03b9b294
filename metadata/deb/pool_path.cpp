#include "metadata/deb/pool_path.h"

#include "core/base/error.h"
#include "core/base/relative_path.h"

namespace chantal::metadata {
namespace {

void require_segment(std::string_view what, std::string_view value) {
    if (value.find('/') != std::string_view::npos || !is_clean_relative_path(value))
        throw Error::invalid_input(std::string(what) + " '" + std::string(value) + "' cannot be a path segment");
}

}  // namespace

std::string debian_pool_path(std::string_view component, std::string_view source, std::string_view file_name) {
    require_segment("component", component);
    require_segment("source package", source);
    require_segment("file name", file_name);
    const std::size_t prefix_length = source.size() > 3 && source.starts_with("lib") ? 4 : 1;
    std::string path = "pool/";
    path.append(component).append("/").append(source.substr(0, prefix_length)).append("/");
    path.append(source).append("/").append(file_name);
    return path;
}

std::optional<std::string_view> pool_path_component(std::string_view path) {
    if (!path.starts_with("pool/")) return std::nullopt;
    const std::string_view rest = path.substr(5);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    return rest.substr(0, slash);
}

}  // namespace chantal::metadata
