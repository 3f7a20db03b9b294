// The registry of package formats (package_format.h): the one place that
// names every format. Their upstream feeds: core/sync/upstream_feeds.cpp.
#include <array>

#include "core/base/error.h"
#include "core/tree/package_format.h"
#include "core/tree/deb/apt_format.h"
#include "core/tree/rpm/rpm_format.h"

namespace chantal {
namespace {

const RpmFormat kRpm;
const AptFormat kApt;

constexpr std::array<const PackageFormat*, 2> kFormats{&kRpm, &kApt};

}  // namespace

const PackageFormat& package_format(std::string_view type) {
    for (const PackageFormat* format : kFormats)
        if (format->type() == type) return *format;
    throw Error::invalid_input("unknown package format '" + std::string(type) + "' (known: " +
                               known_package_formats() + ")");
}

std::string known_package_formats() {
    std::string names;
    for (const PackageFormat* format : kFormats) names += (names.empty() ? "" : ", ") + std::string(format->type());
    return names;
}

}  // namespace chantal
