// Advice for a failed mount (fs/fuse_access.h): what to change for
// /dev/fuse and /etc/fuse.conf, and nothing for root.
#include "fs/fuse_access.h"

#include <gtest/gtest.h>

#include <cerrno>

using namespace chantal::fs;

namespace {

FuseAccess nobody(int device_error, bool allow_other, bool user_allow_other) {
    FuseAccess access;
    access.uid = 65534;
    access.device_error = device_error;
    access.allow_other_requested = allow_other;
    access.user_allow_other = user_allow_other;
    return access;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(FuseAccessAdvice, FuseConfUserAllowOther) {
    EXPECT_TRUE(fuse_conf_allows_other("user_allow_other\n"));
    EXPECT_TRUE(fuse_conf_allows_other("# comment\nmount_max = 1000\n  user_allow_other   # yes\n"));
    EXPECT_TRUE(fuse_conf_allows_other("user_allow_other"));
    EXPECT_FALSE(fuse_conf_allows_other("#user_allow_other\n"));
    EXPECT_FALSE(fuse_conf_allows_other("user_allow_other_not\n"));
    EXPECT_FALSE(fuse_conf_allows_other(""));
}

TEST(FuseAccessAdvice, AnInaccessibleDeviceNamesUserModeAndGroup) {
    const auto advice = fuse_access_advice(nobody(EACCES, false, false));
    EXPECT_TRUE(has(advice, "uid 65534 cannot open /dev/fuse (Permission denied)")) << advice;
    EXPECT_TRUE(has(advice, "0666")) << advice;
    EXPECT_TRUE(has(advice, "group (ls -l /dev/fuse)")) << advice;
    EXPECT_FALSE(has(advice, "user_allow_other")) << advice;
    EXPECT_EQ(advice.find('\n'), std::string::npos);
    const auto with_allow_other = fuse_access_advice(nobody(EACCES, true, false));
    EXPECT_TRUE(has(with_allow_other, "; -o allow_other as a non-root user also needs a line user_allow_other in "
                                      "/etc/fuse.conf"))
        << with_allow_other;
    EXPECT_FALSE(has(fuse_access_advice(nobody(EACCES, true, true)), "user_allow_other"));
}

TEST(FuseAccessAdvice, AMissingDeviceNamesTheModule) {
    EXPECT_TRUE(has(fuse_access_advice(nobody(ENOENT, false, false)), "modprobe fuse"));
}

TEST(FuseAccessAdvice, AllowOtherWithoutUserAllowOther) {
    EXPECT_EQ(fuse_access_advice(nobody(0, true, false)),
              "-o allow_other as a non-root user also needs a line user_allow_other in /etc/fuse.conf");
    EXPECT_EQ(fuse_access_advice(nobody(0, true, true)), "");
    EXPECT_EQ(fuse_access_advice(nobody(0, false, false)), "");
}

TEST(FuseAccessAdvice, NothingForRoot) {
    auto root = nobody(EACCES, true, false);
    root.uid = 0;
    EXPECT_EQ(fuse_access_advice(root), "");
}
