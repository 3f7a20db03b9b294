#include <gtest/gtest.h>

#include <fstream>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "metadata/deb/deb_file.h"
#include "metadata/deb/packages_index.h"
#include "support/deb_package.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

// A real .deb (dpkg-deb) of a control file in `dir`.
std::filesystem::path build_deb(const TempDir& dir, const std::string& control, const std::string& name = "hello",
                                const std::string& content = "hello\n") {
    return test_support::build_deb(dir.path(), name, control, content);
}

const std::string kControl =
    "Package: hello\n"
    "Source: hello-src (2.10-2)\n"
    "Version: 1:2.10-3\n"
    "Architecture: amd64\n"
    "Maintainer: Chantal Tests <tests@example.org>\n"
    "Description: example package\n"
    " A longer text.\n";

TEST(DebFile, ReadsTheControlDataOfARealDeb) {
    TempDir dir;
    const auto deb = build_deb(dir, kControl);
    const DebianPackageControl control = read_deb_control(deb);
    EXPECT_EQ(control.name, "hello");
    EXPECT_EQ(control.version_text, "1:2.10-3");
    EXPECT_EQ(control.version.epoch, 1u);
    EXPECT_EQ(control.architecture, "amd64");
    EXPECT_EQ(control.source, "hello-src");
    EXPECT_EQ(control.stanza, kControl);

    const std::string sha(64, 'd');
    const std::string stanza = packages_stanza(control, "pool/main/h/hello-src/hello_2.10-3_amd64.deb", 1234, sha);
    int read = 0;
    PackagesIndexReader reader("Packages", [&](DebianPackage& package) {
        ++read;
        EXPECT_EQ(package.name, "hello");
        EXPECT_EQ(package.filename, "pool/main/h/hello-src/hello_2.10-3_amd64.deb");
        EXPECT_EQ(package.size, 1234u);
        EXPECT_EQ(package.sha256, sha);
    });
    reader.feed(stanza);
    reader.finish();
    EXPECT_EQ(read, 1);
}

TEST(DebFile, RefusesWhatIsNotAUsableDeb) {
    TempDir dir;
    write_text(dir / "text.deb", "not an archive\n");
    const auto good = build_deb(dir, kControl);
    const auto data = read_file(good);
    write_text(dir / "truncated.deb", data.substr(0, data.size() / 2));
    const auto index_field =
        build_deb(dir, "Package: x\nVersion: 1\nArchitecture: all\nMaintainer: a <a@b>\nSHA256: abc\nDescription: x\n", "x");
    for (const auto& [path, message] : std::vector<std::pair<std::filesystem::path, std::string>>{
             {dir / "text.deb", "text.deb: "},
             {dir / "truncated.deb", "truncated.deb: "},
             {dir / "missing.deb", "missing.deb: cannot open"},
             {index_field, "x.deb: its control file has an index field (SHA256)"},
         }) {
        try {
            read_deb_control(path);
            check_deb_data(path);
            ADD_FAILURE() << "accepted " << path;
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
            EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
        }
    }
}

TEST(DebFile, DataCheckRefusesADamagedPayload) {
    TempDir dir;
    std::string noise;  // incompressible, so that the payload is most of the file
    std::uint32_t state = 12345;
    for (int i = 0; i < 20000; ++i) {
        state = state * 1103515245u + 12345u;
        noise.push_back(static_cast<char>(state >> 24));
    }
    const auto good = build_deb(dir, kControl, "hello", noise);
    EXPECT_NO_THROW(check_deb_data(good));
    std::string bytes = read_file(good);
    bytes[bytes.size() - 2000] ^= 0x55;  // inside data.tar.*, whose ar header is intact
    write_text(dir / "damaged.deb", bytes);
    EXPECT_NO_THROW(read_deb_control(dir / "damaged.deb"));  // the control member is intact
    try {
        check_deb_data(dir / "damaged.deb");
        ADD_FAILURE() << "a damaged payload passed";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(error.what()).find("damaged.deb: damaged Debian package"), std::string::npos)
            << error.what();
    }
}

}  // namespace
}  // namespace chantal::metadata
