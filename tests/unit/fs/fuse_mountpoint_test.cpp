// Mount point inspection (fs/mountpoint.h): /proc/self/mountinfo lines with
// escaped paths, the topmost of stacked mounts, and what chantalfs does with
// each state of a mount point.
#include "fs/mountpoint.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/base/error.h"
#include "support/temp_dir.h"

using namespace chantal::fs;

namespace {

// The message of the Error that decide_mountpoint throws ("" when none).
std::string refusal(const MountpointState& state, bool allow_nonempty = false) {
    try {
        decide_mountpoint(state, allow_nonempty);
    } catch (const chantal::Error& error) {
        EXPECT_EQ(error.kind(), chantal::ErrorKind::conflict);
        return error.what();
    }
    return {};
}

MountEntry chantalfs_at(const std::string& path) { return {path, "fuse.chantalfs", "chantal"}; }

MountpointState state_of(std::optional<MountEntry> mount, bool not_connected, std::string first_entry = {}) {
    MountpointState state;
    state.path = "/srv/mirror";
    state.mount = std::move(mount);
    state.not_connected = not_connected;
    state.first_entry = std::move(first_entry);
    return state;
}

}  // namespace

TEST(FuseMountpoint, UnescapesOctalSequences) {
    EXPECT_EQ(unescape_mountinfo_field(R"(/srv/with\040space)"), "/srv/with space");
    EXPECT_EQ(unescape_mountinfo_field(R"(/a\011tab\012nl\134bs)"), "/a\ttab\nnl\\bs");
    // Not an escape: kept as it is.
    EXPECT_EQ(unescape_mountinfo_field(R"(/x\04)"), R"(/x\04)");
    EXPECT_EQ(unescape_mountinfo_field(R"(/x\9999)"), R"(/x\9999)");
    EXPECT_EQ(unescape_mountinfo_field("plain"), "plain");
}

TEST(FuseMountpoint, ParsesMountinfoLines) {
    auto entry = parse_mountinfo_line(
        "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->mount_point, "/mnt2");
    EXPECT_EQ(entry->fstype, "ext3");
    EXPECT_EQ(entry->source, "/dev/root");
    // No optional fields; a FUSE mount with a space in its path.
    entry = parse_mountinfo_line(
        R"(112 29 0:52 / /tmp/chantal\040x/mnt\040with\040space ro,nosuid,nodev,relatime - fuse.chantalfs chantal ro,user_id=0,group_id=0,default_permissions,allow_other)");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->mount_point, "/tmp/chantal x/mnt with space");
    EXPECT_EQ(entry->fstype, "fuse.chantalfs");
    EXPECT_EQ(entry->source, "chantal");
    // Several optional fields.
    entry = parse_mountinfo_line("1 2 0:3 / /a rw shared:1 master:2 propagate_from:3 - tmpfs my\\040tmp rw");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->source, "my tmp");
    EXPECT_FALSE(parse_mountinfo_line(""));
    EXPECT_FALSE(parse_mountinfo_line("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw"));
    EXPECT_FALSE(parse_mountinfo_line("36 35 98:0 /mnt1 /mnt2 rw - ext3"));
}

TEST(FuseMountpoint, TheLastMountListedAtAPathIsOnTop) {
    const std::string mountinfo =
        "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
        "40 22 0:40 / /srv/mirror rw - fuse.chantalfs chantal ro\n"
        "41 22 0:41 / /srv/mirror/x rw - tmpfs tmpfs rw\n"
        "42 40 0:42 / /srv/mirror rw - fuse.sshfs host:/dir rw\n"
        "43 22 0:43 / /srv/mirror\\040two rw - tmpfs two rw\n";
    auto top = topmost_mount_at(mountinfo, "/srv/mirror");
    ASSERT_TRUE(top);
    EXPECT_EQ(top->fstype, "fuse.sshfs");
    EXPECT_EQ(topmost_mount_at(mountinfo, "/srv/mirror two")->source, "two");
    EXPECT_EQ(topmost_mount_at(mountinfo, "/")->fstype, "ext4");
    EXPECT_FALSE(topmost_mount_at(mountinfo, "/srv"));
    EXPECT_FALSE(topmost_mount_at(mountinfo, "/srv/mirror/"));
    EXPECT_FALSE(topmost_mount_at("", "/"));
}

TEST(FuseMountpoint, AnEmptyDirectoryIsMounted) {
    EXPECT_EQ(decide_mountpoint(state_of(std::nullopt, false), false), MountpointAction::mount);
}

TEST(FuseMountpoint, ALiveMountIsRefusedNamingTypeAndSource) {
    auto state = state_of(chantalfs_at("/srv/mirror"), false);
    const auto message = refusal(state);
    EXPECT_NE(message.find("/srv/mirror"), std::string::npos) << message;
    EXPECT_NE(message.find("already a mount point (fuse.chantalfs from chantal)"), std::string::npos) << message;
    EXPECT_EQ(refusal(state, true), message) << "-o nonempty does not allow stacking";
    state.mount = MountEntry{"/srv/mirror", "tmpfs", "scratch"};
    EXPECT_NE(refusal(state).find("(tmpfs from scratch)"), std::string::npos);
}

TEST(FuseMountpoint, ADeadChantalfsMountIsTakenOver) {
    const auto state = state_of(chantalfs_at("/srv/mirror"), true);
    EXPECT_EQ(decide_mountpoint(state, false), MountpointAction::take_over);
}

TEST(FuseMountpoint, ADeadForeignMountIsRefused) {
    const auto state = state_of(MountEntry{"/srv/mirror", "fuse.sshfs", "host:/d"}, true);
    const auto message = refusal(state);
    EXPECT_NE(message.find("dead mount of another file system is there (fuse.sshfs from host:/d)"),
              std::string::npos)
        << message;
    // Not connected, but nothing listed: nothing to detach safely.
    EXPECT_NE(refusal(state_of(std::nullopt, true)), "");
}

TEST(FuseMountpoint, ANonEmptyDirectoryNeedsNonempty) {
    const auto state = state_of(std::nullopt, false, "index.html");
    const auto message = refusal(state);
    EXPECT_NE(message.find("not empty (it holds 'index.html')"), std::string::npos) << message;
    EXPECT_NE(message.find("-o nonempty"), std::string::npos) << message;
    EXPECT_EQ(decide_mountpoint(state, true), MountpointAction::mount);
}

TEST(FuseMountpoint, InspectsARealDirectory) {
    chantal::test_support::TempDir dir;
    const auto empty = dir.path() / "empty";
    std::filesystem::create_directory(empty);
    auto state = inspect_mountpoint((empty / "").string());  // trailing slash
    EXPECT_EQ(state.path, std::filesystem::canonical(empty).string());
    EXPECT_FALSE(state.mount);
    EXPECT_FALSE(state.not_connected);
    EXPECT_EQ(state.first_entry, "");
    std::ofstream(empty / "file") << "x";
    EXPECT_EQ(inspect_mountpoint(empty.string()).first_entry, "file");
    // "/" is a mount point in every mount namespace.
    state = inspect_mountpoint("/");
    ASSERT_TRUE(state.mount);
    EXPECT_EQ(state.mount->mount_point, "/");
    EXPECT_THROW(inspect_mountpoint((dir.path() / "missing").string()), chantal::Error);
    EXPECT_THROW(inspect_mountpoint((empty / "file").string()), chantal::Error);
}
