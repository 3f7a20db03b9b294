#include "core/catalogue/deb/deb_view_placement.h"

#include "core/base/error.h"
#include "metadata/deb/pool_path.h"

namespace chantal {

std::optional<std::string> deb_view_package_path(const TreePackage& package, std::string_view source_name) {
    const std::string_view component = metadata::pool_path_component(package.path).value_or("main");
    try {
        return metadata::debian_pool_path(component, source_name.empty() ? std::string_view(package.name) : source_name,
                                          package.filename);
    } catch (const Error&) {
        return std::nullopt;
    }
}

}  // namespace chantal
