#include "core/upload/rpm/rpm_package_file.h"

#include <memory>
#include <mutex>

// createrepo_c's cr_Package has a member named `requires`, a keyword since
// C++20: renamed while its headers are read (the layout is unchanged; the
// member is not used here).
#define requires requires_
#include <createrepo_c/createrepo_c.h>
#undef requires

#include "core/base/error.h"
#include "core/sync/rpm/package_records.h"
#include "core/sync/rpm/package_signature.h"
#include "core/tree/package_format.h"
#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/filelists.h"
#include "metadata/rpm/other.h"
#include "metadata/rpm/xml_copy.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;

struct PackageFree {
    void operator()(cr_Package* package) const noexcept { cr_package_free(package); }
};
using PackagePtr = std::unique_ptr<cr_Package, PackageFree>;

struct GFree {
    void operator()(char* text) const noexcept { g_free(text); }
};
using GString = std::unique_ptr<char, GFree>;

struct ErrorFree {
    void operator()(GError* error) const noexcept { g_error_free(error); }
};
using GErrorPtr = std::unique_ptr<GError, ErrorFree>;

void initialise_createrepo_c() {
    static std::once_flag once;
    std::call_once(once, [] {
        cr_xml_dump_init();
        cr_package_parser_init();
    });
}

std::string message_of(GError* error) { return error && error->message ? error->message : "unknown error"; }

// One createrepo_c chunk ("<package>...</package>\n") under the root element
// createrepo_c writes it under, as a one-package file.
std::string as_file(std::string_view root, std::string_view namespaces, const char* chunk) {
    std::string file = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
    file.append(root).append(" ").append(namespaces).append(" packages=\"1\">\n").append(chunk);
    file.append("</").append(root).append(">\n");
    return file;
}

GString dumped(char* (*dump)(cr_Package*, GError**), cr_Package* package, const fs::path& file, const char* what) {
    GError* raw = nullptr;
    GString xml(dump(package, &raw));
    GErrorPtr error(raw);
    if (!xml || error)
        throw Error::invalid_input(file.string() + ": libcreaterepo_c cannot write its " + what + " element: " +
                                   message_of(error.get()));
    return xml;
}

metadata::PrimaryPackage primary_of(const char* chunk, const fs::path& file) {
    const std::string xml = as_file("metadata",
                                    "xmlns=\"" + std::string(metadata::kCommonNamespace) + "\" xmlns:rpm=\"" +
                                        std::string(metadata::kRpmNamespace) + "\"",
                                    chunk);
    metadata::MemorySource source(xml, file.filename().string() + " (primary)");
    metadata::DecompressingReader input(source, xml.size() + 1);
    metadata::PrimaryPackage result;
    int count = 0;
    metadata::read_primary(input, [&](metadata::PrimaryPackage& package) {
        result = std::move(package);
        ++count;
    });
    if (count != 1) throw Error::internal(file.string() + ": libcreaterepo_c wrote " + std::to_string(count) + " packages");
    return result;
}

std::string list_entry_of(const metadata::PackageListFormat& format, const char* chunk, const fs::path& file) {
    const std::string xml = as_file(format.root_name, "xmlns=\"" + std::string(format.namespace_uri) + "\"", chunk);
    metadata::MemorySource source(xml, file.filename().string() + " (" + std::string(format.file_kind) + ")");
    metadata::DecompressingReader input(source, xml.size() + 1);
    std::string result;
    int count = 0;
    metadata::read_package_list(input, format, [&](metadata::PackageListEntry& entry) {
        result = std::move(entry.xml);
        ++count;
    });
    if (count != 1) throw Error::internal(file.string() + ": libcreaterepo_c wrote " + std::to_string(count) + " packages");
    return result;
}

std::string canonical_file_name(const cr_Package& package) {
    return std::string(package.name) + "-" + package.version + "-" + package.release + "." + package.arch + ".rpm";
}

// An uploaded RPM: catalogued with the elements createrepo_c wrote for it.
class RpmUpload final : public PackageFile {
public:
    RpmUpload(const fs::path& given, RpmPackageFile read) : package_(std::move(read)) {
        const metadata::PrimaryPackage& primary = package_.primary;
        file = given;
        identity = {primary.name, primary.epoch, primary.version, primary.release, primary.arch};
        full_name = primary.name + "-" + (primary.epoch != 0 ? std::to_string(primary.epoch) + ":" : "") +
                    primary.version + "-" + primary.release + "." + primary.arch;
        sha256 = primary.checksum;
        file_name = package_.file_name;
        const auto tree_path = package_format("rpm").generated_package_path(file_name);
        if (!tree_path) throw Error::invalid_input(given.string() + ": no tree can hold a file named " + file_name);
        path = *tree_path;
    }

    std::int64_t catalogue(Database& database) const override {
        PackageRecorder packages(database);
        CataloguedPackage catalogued;
        if (auto found = packages.find_catalogued(package_.primary)) catalogued = std::move(*found);
        else catalogued = packages.insert_package(package_.primary, package_.filelists_xml, package_.other_xml);
        if (catalogued.needs_filelists) packages.set_filelists(catalogued.package_id, package_.filelists_xml);
        if (catalogued.needs_other) packages.set_other(catalogued.package_id, package_.other_xml);
        return catalogued.package_id;
    }

private:
    RpmPackageFile package_;
};

class RpmReader final : public PackageFileReader {
public:
    std::string_view file_extension() const override { return ".rpm"; }
    std::string_view file_kind() const override { return kRpmFileKind; }
    std::unique_ptr<PackageFile> read(const fs::path& file) const override {
        return std::make_unique<RpmUpload>(file, read_rpm_package_file(file));
    }
};

}  // namespace

bool looks_like_rpm(std::string_view first_bytes) { return first_bytes.starts_with("\xed\xab\xee\xdb"); }

std::unique_ptr<PackageFileReader> rpm_package_file_reader(const RepositoryConfig& repository,
                                                           const std::string& component) {
    if (!component.empty())
        throw Error::invalid_input("repo " + repository.id + " is type rpm: RPM repositories have no components (" +
                                   component + ")");
    return std::make_unique<RpmReader>();
}

RpmPackageFile read_rpm_package_file(const fs::path& file) {
    if (!fs::is_regular_file(file)) throw Error::invalid_input(file.string() + ": not a regular file");
    if (auto damage = rpm_package_damage(file)) throw Error::invalid_input(file.string() + ": " + *damage);
    initialise_createrepo_c();
    GError* raw = nullptr;
    // Read once for the name, then again with the canonical name as its
    // location, so that the elements are the ones createrepo_c writes.
    PackagePtr probe(cr_package_from_rpm_base(file.c_str(), 0, CR_HDRR_NONE, &raw));
    GErrorPtr probe_error(raw);
    if (!probe || probe_error || !probe->name || !probe->version || !probe->release || !probe->arch)
        throw Error::invalid_input(file.string() + ": libcreaterepo_c cannot read its header: " +
                                   message_of(probe_error.get()));
    RpmPackageFile result;
    result.file_name = canonical_file_name(*probe);
    raw = nullptr;
    PackagePtr package(cr_package_from_rpm(file.c_str(), CR_CHECKSUM_SHA256, result.file_name.c_str(), nullptr,
                                           kChangelogLimit, nullptr, CR_HDRR_NONE, &raw));
    GErrorPtr error(raw);
    if (!package || error)
        throw Error::invalid_input(file.string() + ": libcreaterepo_c cannot read it: " + message_of(error.get()));
    result.primary = primary_of(dumped(cr_xml_dump_primary, package.get(), file, "primary").get(), file);
    result.filelists_xml =
        list_entry_of(metadata::kFilelistsFormat, dumped(cr_xml_dump_filelists, package.get(), file, "filelists").get(), file);
    result.other_xml =
        list_entry_of(metadata::kOtherFormat, dumped(cr_xml_dump_other, package.get(), file, "other").get(), file);
    return result;
}

}  // namespace chantal
