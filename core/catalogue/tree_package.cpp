#include "core/catalogue/tree_package.h"

#include "core/base/error.h"

namespace chantal {
std::string format_evr(std::uint64_t epoch, std::string_view version, std::string_view release) {
    std::string evr = epoch ? std::to_string(epoch) + ":" : std::string();
    evr.append(version);
    if (!release.empty()) evr.append("-").append(release);  // a Debian native version has no revision
    return evr;
}

TreePackage read_tree_package(const Statement& row, int first_column) {
    const int c = first_column;
    TreePackage package;
    package.package_id = row.column_int64(c);
    package.content_id = row.column_int64(c + 1);
    package.name = row.column_text(c + 2);
    package.epoch = static_cast<std::uint64_t>(row.column_int64(c + 3));
    package.version = row.column_text(c + 4);
    package.release = row.column_text(c + 5);
    package.arch = row.column_text(c + 6);
    package.sha256 = row.column_text(c + 7);
    package.filename = row.column_text(c + 8);
    package.size = static_cast<std::uint64_t>(row.column_int64(c + 9));
    package.path = row.column_text(c + 10);
    package.repo_id = row.column_text(c + 11);
    package.format = row.column_text(c + 12);
    return package;
}

std::string TreePackage::evr() const { return format_evr(epoch, version, release); }

std::string TreePackage::nevra() const { return name + "-" + evr() + "." + arch; }

}  // namespace chantal
