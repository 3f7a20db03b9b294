#include <gtest/gtest.h>

#include "core/base/error.h"
#include "metadata/deb/clearsigned.h"

namespace chantal::metadata {
namespace {

const std::string kSignature = "-----BEGIN PGP SIGNATURE-----\n\niHUEARYKAB0WIQ=\n=abcd\n-----END PGP SIGNATURE-----\n";

std::string message(const std::string& text) {
    return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + text + kSignature;
}

std::string error_of(const std::string& data) {
    try {
        clearsigned_text(data, "dists/stable/InRelease");
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::corrupt);
        return error.what();
    }
    ADD_FAILURE() << "accepted:\n" << data;
    return "";
}

TEST(Clearsigned, TextBetweenTheHeadersAndTheSignatureDashEscapingUndone) {
    EXPECT_EQ(clearsigned_text(message("Origin: Debian\nSuite: stable\n- -not a header\n"), "InRelease"),
              "Origin: Debian\nSuite: stable\n-not a header\n");
    std::string crlf = message("Origin: Debian\n");
    for (std::size_t at = crlf.find('\n'); at != std::string::npos; at = crlf.find('\n', at + 2)) crlf.insert(at, "\r");
    EXPECT_EQ(clearsigned_text(crlf, "InRelease"), "Origin: Debian\n");
    EXPECT_EQ(clearsigned_text("\n" + message("A: b\n") + "\n\n", "InRelease"), "A: b\n");
    EXPECT_TRUE(looks_clearsigned("\n" + message("A: b\n")));
    EXPECT_FALSE(looks_clearsigned("Origin: Debian\n"));
}

TEST(Clearsigned, TextOutsideTheSignatureIsRefused) {
    EXPECT_NE(error_of("Origin: Evil\n" + message("Origin: Debian\n")).find("text before"), std::string::npos);
    EXPECT_NE(error_of(message("Origin: Debian\n") + "Origin: Evil\n").find("text after"), std::string::npos);
    EXPECT_NE(error_of(message("Origin: Debian\n") + message("Origin: Evil\n")).find("text after"), std::string::npos);
    EXPECT_NE(error_of("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nA: b\n").find("no signature block"),
              std::string::npos);
    EXPECT_NE(error_of("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n").find("armor headers"), std::string::npos);
    EXPECT_NE(error_of(message("-----BEGIN PGP SIGNATURE-----x\n")).find("not dash-escaped"), std::string::npos);
    EXPECT_NE(error_of("Origin: Debian\n").find("text before"), std::string::npos);
    EXPECT_NE(error_of("").find("no '-----BEGIN PGP SIGNED MESSAGE-----' line"), std::string::npos);
    EXPECT_NE(error_of(message("A: b\n").substr(0, message("A: b\n").size() - 28)).find("no END line"), std::string::npos);
}

}  // namespace
}  // namespace chantal::metadata
