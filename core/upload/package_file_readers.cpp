// The registry of upload readers (package_file.h): the one place in the
// upload layer that names every format.
#include <cerrno>
#include <fstream>

#include "core/base/error.h"
#include "core/upload/deb/deb_package_file.h"
#include "core/upload/package_file.h"
#include "core/upload/rpm/rpm_package_file.h"

namespace chantal {

std::unique_ptr<PackageFileReader> package_file_reader(const RepositoryConfig& repository, const std::string& component) {
    if (repository.type == "rpm") return rpm_package_file_reader(repository, component);
    if (repository.type == "apt") return deb_package_file_reader(repository, component);
    throw Error::unsupported("repo " + repository.id + ": type " + repository.type + " takes no uploads");
}

std::optional<std::string> package_file_kind_of(const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;  // the reader says what it is
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error::io("cannot open " + file.string(), errno);
    std::string head(32, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    if (in.bad()) throw Error::io("cannot read " + file.string(), errno);
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (looks_like_rpm(head)) return std::string(kRpmFileKind);
    if (looks_like_deb(head)) return std::string(kDebFileKind);
    return std::nullopt;
}

}  // namespace chantal
