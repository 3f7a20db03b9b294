// An .rpm file as `package upload` reads it (core/upload/rpm/
// rpm_package_file.h: librpm checks its digests, libcreaterepo_c reads its
// header and writes its elements, our readers parse them back). Each input
// is written to a file in a private temporary directory. An input is either
// refused with chantal::Error or read into a package with the fields every
// repodata reader needs.
#include <filesystem>
#include <fstream>

#include "core/base/error.h"
#include "core/upload/rpm/rpm_package_file.h"
#include "fuzz_support.h"

namespace {

const std::filesystem::path& package_file() {
    static const chantal::fuzz::ScratchDirectory directory("chantal-upload-fuzz-");
    static const std::filesystem::path file = directory.path() / "package.rpm";
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    {
        std::ofstream out(package_file(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const RpmPackageFile package = read_rpm_package_file(package_file());
        fuzz::require(!package.primary.name.empty() && !package.primary.arch.empty(), "a read package has a name and arch");
        fuzz::require(package.primary.checksum.size() == 64, "a read package has its sha256");
        fuzz::require(!package.filelists_xml.empty() && !package.other_xml.empty(), "a read package has every element");
    } catch (const Error& error) {
        fuzz::require(std::string(error.what()).find(package_file().string()) != std::string::npos,
                      "a refusal names the file");
    }
    return 0;
}
