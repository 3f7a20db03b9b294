#include "core/signing/gnupg_home.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "gpg_test_home.h"
#include "support/temp_dir.h"

using namespace chantal;

namespace {

unsigned mode_of(const std::filesystem::path& path) {
    struct stat status{};
    if (::stat(path.c_str(), &status) != 0) return 0;
    return status.st_mode & 07777;
}

}  // namespace

TEST(GnupgHome, TemporaryIsPrivateShortAndBelowItsParent) {
    test_support::TempDir dir;
    const GnupgHome home = GnupgHome::temporary(dir / "tmp" / "nested");
    EXPECT_TRUE(home.is_temporary());
    EXPECT_EQ(home.path().parent_path(), dir / "tmp" / "nested");
    EXPECT_EQ(home.path().filename().string().rfind("gpg-", 0), 0u);
    EXPECT_EQ(home.path().filename().string().size(), 10u);
    EXPECT_EQ(mode_of(home.path()), 0700u);
}

TEST(GnupgHome, TemporaryIsRemovedWithItsAgent) {
    test_support::TempDir dir;
    std::filesystem::path path, socket_directory;
    {
        const GnupgHome home = GnupgHome::temporary(dir.path());
        path = home.path();
        std::string output;
        ASSERT_EQ(test_support::run_command("gpg-connect-agent --homedir " + path.string() + " /bye", &output), 0)
            << output;
        ASSERT_TRUE(test_support::agent_running_for(path));
        const std::string list_dirs = "gpgconf --homedir " + path.string() + " --list-dirs socketdir";
        ASSERT_EQ(test_support::run_command(list_dirs, &output), 0);
        socket_directory = output.substr(0, output.find('\n'));
        ASSERT_TRUE(std::filesystem::exists(socket_directory / "S.gpg-agent")) << socket_directory;
        test_support::write_text(path / "pubring.kbx", "anything");
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(socket_directory)) << socket_directory;
    EXPECT_TRUE(test_support::no_agent_below(path));
}

TEST(GnupgHome, MoveHandsOverOwnership) {
    test_support::TempDir dir;
    GnupgHome first = GnupgHome::temporary(dir.path());
    const std::filesystem::path path = first.path();
    {
        GnupgHome second = std::move(first);
        EXPECT_EQ(second.path(), path);
        EXPECT_FALSE(first.is_temporary());
        EXPECT_TRUE(std::filesystem::exists(path));
    }
    EXPECT_FALSE(std::filesystem::exists(path));

    GnupgHome target = GnupgHome::temporary(dir.path());
    const std::filesystem::path replaced = target.path();
    target = GnupgHome::temporary(dir.path());
    EXPECT_FALSE(std::filesystem::exists(replaced));
    EXPECT_TRUE(std::filesystem::exists(target.path()));
}

TEST(GnupgHome, ExistingIsUsedAndKept) {
    test_support::TempDir dir;
    std::filesystem::create_directories(dir / "keys");
    test_support::write_text(dir / "keys" / "pubring.kbx", "kept");
    {
        const GnupgHome home = GnupgHome::existing(dir / "keys");
        EXPECT_FALSE(home.is_temporary());
        EXPECT_EQ(home.path(), dir / "keys");
    }
    EXPECT_TRUE(std::filesystem::exists(dir / "keys" / "pubring.kbx"));
}

TEST(GnupgHome, ExistingMissingIsNotFoundUnlessCreated) {
    test_support::TempDir dir;
    try {
        GnupgHome::existing(dir / "missing");
        FAIL() << "a missing home was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::not_found);
        EXPECT_NE(std::string(error.what()).find((dir / "missing").string()), std::string::npos);
    }
    test_support::write_text(dir / "file", "x");
    EXPECT_THROW(GnupgHome::existing(dir / "file", true), Error);

    { const GnupgHome home = GnupgHome::existing(dir / "a" / "gnupg", true); }
    EXPECT_EQ(mode_of(dir / "a" / "gnupg"), 0700u);
}
