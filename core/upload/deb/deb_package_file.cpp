#include "core/upload/deb/deb_package_file.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/sync/deb/apt_package_records.h"
#include "metadata/deb/deb_file.h"
#include "metadata/deb/packages_index.h"
#include "metadata/deb/pool_path.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;

// Debian's file name: name_version_arch.deb, the version without its epoch.
std::string canonical_file_name(const metadata::DebianPackageControl& control) {
    const metadata::DebianVersion& version = control.version;
    return control.name + "_" + version.upstream + (version.revision.empty() ? "" : "-" + version.revision) + "_" +
           control.architecture + ".deb";
}

// The Packages stanza an index would list the file with, read back as the
// sync reads an index's stanza (which also checks it).
metadata::DebianPackage index_entry(const fs::path& file, const metadata::DebianPackageControl& control,
                                    const std::string& path, std::uint64_t size, const std::string& sha256) {
    metadata::DebianPackage result;
    int stanzas = 0;
    metadata::PackagesIndexReader reader(file.string() + " (control)", [&](metadata::DebianPackage& package) {
        result = std::move(package);
        ++stanzas;
    });
    reader.feed(metadata::packages_stanza(control, path, size, sha256));
    reader.finish();
    if (stanzas != 1) throw Error::internal(file.string() + ": its Packages stanza reads as " + std::to_string(stanzas));
    return result;
}

class DebUpload final : public PackageFile {
public:
    DebUpload(const fs::path& given, const std::string& component) : component_(component) {
        const metadata::DebianPackageControl control = metadata::read_deb_control(given);
        if (control.architecture == "source")  // what a tree's indexes mean by a source package's files
            throw Error::invalid_input(given.string() + ": a binary package cannot have Architecture: source");
        metadata::check_deb_data(given);
        file = given;
        identity = {control.name, control.version.epoch, control.version.upstream, control.version.revision,
                    control.architecture};
        full_name = control.name + "_" + control.version_text + "_" + control.architecture;
        sha256 = hex_digest_of_file(HashAlgorithm::sha256, given);
        file_name = canonical_file_name(control);
        try {
            path = metadata::debian_pool_path(component, control.source, file_name);
            entry_ = index_entry(given, control, path, fs::file_size(given), sha256);
        } catch (const Error& error) {
            throw Error::invalid_input(given.string() + ": " + error.what());
        }
    }

    std::int64_t catalogue(Database& database) const override {
        AptPackageRecorder recorder(database);
        return recorder.record(entry_, component_).package_id;
    }

private:
    std::string component_;
    metadata::DebianPackage entry_;
};

class DebReader final : public PackageFileReader {
public:
    explicit DebReader(std::string component) : component_(std::move(component)) {}
    std::string_view file_extension() const override { return ".deb"; }
    std::string_view file_kind() const override { return kDebFileKind; }
    std::unique_ptr<PackageFile> read(const fs::path& file) const override {
        return std::make_unique<DebUpload>(file, component_);
    }

private:
    std::string component_;
};

}  // namespace

bool looks_like_deb(std::string_view first_bytes) { return first_bytes.starts_with("!<arch>\ndebian-binary"); }

std::unique_ptr<PackageFileReader> deb_package_file_reader(const RepositoryConfig& repository,
                                                           const std::string& component) {
    const std::vector<std::string>& components = repository.apt.components;
    if (component.empty()) {
        if (components.empty()) throw Error::invalid_input("repo " + repository.id + " lists no apt.components");
        return std::make_unique<DebReader>(components.front());
    }
    if (std::find(components.begin(), components.end(), component) == components.end()) {
        std::string listed;
        for (const auto& known : components) listed += (listed.empty() ? "" : ", ") + known;
        throw Error::invalid_input("repo " + repository.id + " has no component " + component +
                                   " (apt.components: " + listed + ")");
    }
    return std::make_unique<DebReader>(component);
}

}  // namespace chantal
