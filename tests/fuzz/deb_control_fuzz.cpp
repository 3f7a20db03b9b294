// Uploaded .deb files as `package upload` reads them: read_deb_control and
// check_deb_data on the input written to a file (libapt-pkg reads archives
// from files).
//
// Properties: it returns or throws chantal::Error, never anything else; an
// accepted package has a name, architecture and a dpkg-valid version, and
// its Packages stanza names it.
#include <unistd.h>

#include <fstream>

#include "fuzz_support.h"
#include "metadata/deb/deb_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    static const std::string path = "/tmp/chantal-deb-control-fuzz-" + std::to_string(getpid()) + ".deb";
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    fuzz::ignoring_invalid_input([&] {
        const metadata::DebianPackageControl control = metadata::read_deb_control(path);
        fuzz::require(!control.name.empty() && !control.architecture.empty() &&
                          metadata::parse_debian_version(control.version_text).has_value(),
                      "an accepted package has a name, an architecture and a valid version");
        const std::string stanza = metadata::packages_stanza(control, "pool/main/x/x.deb", 1, std::string(64, 'a'));
        fuzz::require(stanza.starts_with(control.stanza), "the Packages stanza starts with the control stanza");
        metadata::check_deb_data(path);
    });
    return 0;
}
