// An .rpm file as a sync with verify.gpgcheck checks it before it enters
// the pool (core/sync/rpm/package_signature.h: librpm reads the lead, the
// signature and main headers, then the payload). Each input is written to a
// file in a private temporary directory. No key is trusted, so every input
// must end in an outcome other than valid, never a throw or a crash.
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "core/sync/rpm/package_signature.h"
#include "fuzz_support.h"

namespace {

const std::filesystem::path& package_file() {
    static const chantal::fuzz::ScratchDirectory directory("chantal-rpm-fuzz-");
    static const std::filesystem::path file = directory.path() / "package.rpm";
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    static const RpmSignatureChecker checker({});
    {
        std::ofstream out(package_file(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const PackageSignatureCheck check = checker.check(package_file());
    fuzz::require(!check.ok(), "no package is valid without a trusted key");
    fuzz::require(!check.reason.empty(), "a failed check says why");
    return 0;
}
