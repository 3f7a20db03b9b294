#include "core/catalogue/view_placement.h"

#include "core/base/error.h"
#include "core/catalogue/deb/deb_view_placement.h"
#include "core/catalogue/rpm/rpm_view_placement.h"

namespace chantal {

ViewPlacement view_placement(std::string_view format) {
    if (format == "rpm") return rpm_view_package_path;
    if (format == "apt") return deb_view_package_path;
    throw Error::corrupt("a package row of format '" + std::string(format) + "', which no view can place");
}

}  // namespace chantal
