// The FUSE passthrough shim (fs/passthrough.h): INIT and OPEN replies are
// patched exactly when they should be, backing ids are shared per inode and
// closed by the last release, refusal falls back to splice.
#include "fs/passthrough.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

using namespace chantal::fs;
namespace proto = chantal::fs::fuse_protocol;

namespace {

template <typename T>
void put(std::vector<char>& buffer, std::size_t offset, T value) {
    std::memcpy(buffer.data() + offset, &value, sizeof value);
}
template <typename T>
T get(const std::vector<char>& buffer, std::size_t offset) {
    T value;
    std::memcpy(&value, buffer.data() + offset, sizeof value);
    return value;
}

std::vector<char> request(std::uint32_t opcode, std::uint64_t unique, std::size_t body = 64) {
    std::vector<char> buffer(proto::kInHeaderSize + body, 0);
    put<std::uint32_t>(buffer, 0, static_cast<std::uint32_t>(buffer.size()));
    put(buffer, 4, opcode);
    put(buffer, 8, unique);
    return buffer;
}

std::vector<char> init_request(std::uint64_t unique, bool offer) {
    auto buffer = request(proto::kOpcodeInit, unique);
    put(buffer, proto::kInHeaderSize + proto::kInitInFlags, proto::kInitExt);
    put(buffer, proto::kInHeaderSize + proto::kInitInFlags2, offer ? proto::kPassthroughFlags2 : 0u);
    return buffer;
}

// Sends a reply (header + body) through on_reply; returns the body as patched.
std::vector<char> reply(Passthrough& p, std::uint64_t unique, std::vector<char> body, std::int32_t error = 0) {
    std::vector<char> header(proto::kOutHeaderSize, 0);
    put<std::uint32_t>(header, 0, static_cast<std::uint32_t>(header.size() + body.size()));
    put(header, 4, error);
    put(header, 8, unique);
    iovec iov[2] = {{header.data(), header.size()}, {body.data(), body.size()}};
    p.on_reply(iov, 2);
    return body;
}

struct FakeDevice {
    int opens = 0;
    std::vector<std::int32_t> closed;
    int next_id = 7;
    int fail_errno = 0;
};

void install(Passthrough& p, FakeDevice& device) {
    p.use_backing_calls_for_tests(
        [&device](int) {
            if (device.fail_errno) {
                errno = device.fail_errno;
                return -1;
            }
            ++device.opens;
            return device.next_id++;
        },
        [&device](std::int32_t id) { device.closed.push_back(id); });
}

// INIT as libfuse runs it: the request, op_init's decision, the reply.
void negotiate(Passthrough& p) {
    auto init = init_request(1, true);
    p.on_request(init.data(), init.size());
    p.negotiate_at_init();
    reply(p, 1, std::vector<char>(proto::kInitOutSize, 0));
}

}  // namespace

TEST(FusePassthrough, InitReplyGetsPassthroughWhenTheKernelOffersIt) {
    Passthrough p;
    FakeDevice device;
    install(p, device);
    auto init = init_request(1, true);
    p.on_request(init.data(), init.size());
    EXPECT_EQ(p.negotiate_at_init(), "passthrough negotiated with the kernel");
    std::vector<char> out(proto::kInitOutSize, 0);
    put<std::uint32_t>(out, proto::kInitOutFlags, 0x11);
    out = reply(p, 1, out);
    EXPECT_EQ(get<std::uint32_t>(out, proto::kInitOutFlags), 0x11u | proto::kInitExt);
    EXPECT_EQ(get<std::uint32_t>(out, proto::kInitOutFlags2), proto::kPassthroughFlags2);
    EXPECT_EQ(get<std::uint32_t>(out, proto::kInitOutMaxStackDepth), 1u);
    EXPECT_TRUE(p.active());
    EXPECT_NE(p.mode_name().find("passthrough"), std::string::npos);
}

TEST(FusePassthrough, InitReplyUntouchedWhenNotOffered) {
    Passthrough p;
    FakeDevice device;
    install(p, device);
    auto init = init_request(1, false);
    p.on_request(init.data(), init.size());
    EXPECT_EQ(p.negotiate_at_init(), "splice + keep_cache (the kernel did not offer FUSE passthrough)");
    const std::vector<char> original(proto::kInitOutSize, 0);
    EXPECT_EQ(reply(p, 1, original), original);
    EXPECT_FALSE(p.active());
    EXPECT_FALSE(p.open_backing(5, 3, 0x1000));
    EXPECT_EQ(p.mode_name(), "splice + keep_cache");
}

TEST(FusePassthrough, OpenReplyCarriesTheInodesSharedBackingId) {
    Passthrough p;
    FakeDevice device;
    install(p, device);
    negotiate(p);
    // Two concurrent opens of inode 5 share one backing file; inode 6 gets its own.
    EXPECT_EQ(p.open_backing(5, 10, 0xa0), 7);
    EXPECT_EQ(p.open_backing(5, 11, 0xb0), 7);
    EXPECT_EQ(p.open_backing(6, 12, 0xc0), 8);
    EXPECT_EQ(device.opens, 2);
    auto open = request(proto::kOpcodeOpen, 42);
    p.on_request(open.data(), open.size());
    std::vector<char> out(proto::kOpenOutSize, 0);
    put<std::uint64_t>(out, proto::kOpenOutFh, 0xb0);
    put<std::uint32_t>(out, proto::kOpenOutFlags, proto::kOpenKeepCache);
    out = reply(p, 42, out);
    EXPECT_EQ(get<std::uint32_t>(out, proto::kOpenOutFlags), proto::kOpenPassthrough);
    EXPECT_EQ(get<std::int32_t>(out, proto::kOpenOutBackingId), 7);
    // The last release of an inode closes its backing id, once.
    p.release_backing(5);
    EXPECT_TRUE(device.closed.empty());
    p.release_backing(5);
    EXPECT_EQ(device.closed, (std::vector<std::int32_t>{7}));
    p.release_backing(6);
    EXPECT_EQ(device.closed, (std::vector<std::int32_t>{7, 8}));
}

TEST(FusePassthrough, OtherRepliesAreNeverTouched) {
    Passthrough p;
    FakeDevice device;
    install(p, device);
    negotiate(p);
    p.open_backing(5, 10, 0xa0);
    std::vector<char> out(proto::kOpenOutSize, 0);
    put<std::uint64_t>(out, proto::kOpenOutFh, 0xa0);
    // A reply whose unique was never an OPEN (e.g. a 16-byte reply of another op).
    EXPECT_EQ(reply(p, 99, out), out);
    // An OPEN that failed.
    auto open = request(proto::kOpcodeOpen, 43);
    p.on_request(open.data(), open.size());
    EXPECT_EQ(reply(p, 43, out, -ENOENT), out);
    // An OPEN for an fh that has no backing (splice path).
    auto open2 = request(proto::kOpcodeOpen, 44);
    p.on_request(open2.data(), open2.size());
    std::vector<char> other(proto::kOpenOutSize, 0);
    put<std::uint64_t>(other, proto::kOpenOutFh, 0xdd);
    EXPECT_EQ(reply(p, 44, other), other);
    // Short or unrelated requests are ignored.
    char tiny[8] = {};
    p.on_request(tiny, sizeof tiny);
}

TEST(FusePassthrough, RefusedBackingFallsBackToSplice) {
    Passthrough p;
    FakeDevice device;
    install(p, device);
    negotiate(p);
    device.fail_errno = EPERM;  // no CAP_SYS_ADMIN
    EXPECT_FALSE(p.open_backing(5, 10, 0xa0));
    EXPECT_FALSE(p.active());
    device.fail_errno = 0;
    EXPECT_FALSE(p.open_backing(5, 10, 0xa0));  // stays off
    EXPECT_EQ(p.mode_name(), "splice + keep_cache");
}

TEST(FusePassthrough, WithoutTheShimTheModeIsSpliceAndSaysWhy) {
    Passthrough p;  // mount() never installed the shim: -o nopassthrough
    auto init = init_request(1, true);
    p.on_request(init.data(), init.size());
    EXPECT_EQ(p.negotiate_at_init(), "splice + keep_cache (-o nopassthrough)");
    const std::vector<char> original(proto::kInitOutSize, 0);
    EXPECT_EQ(reply(p, 1, original), original);
    EXPECT_FALSE(p.active());
}
