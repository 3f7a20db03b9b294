#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "metadata/deb/debian_version.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

int sign(int value) { return (value > 0) - (value < 0); }

// A random version dpkg accepts: optional epoch, an upstream part starting
// with a digit, an optional revision; the characters where orderings differ
// ('~', '+', '.', letters against digits, leading zeros) come often.
std::string random_version(std::mt19937& random) {
    auto pick = [&](std::string_view from) { return from[random() % from.size()]; };
    std::string text;
    if (random() % 4 == 0) text += std::to_string(random() % 3) + ":";
    text += pick("0123456789");
    const int length = static_cast<int>(random() % 6);
    for (int i = 0; i < length; ++i) text += pick("0012.9a~+bZ");
    if (random() % 2) {
        text += "-";
        text += pick("01a~+.");
        const int revision_length = static_cast<int>(random() % 4);
        for (int i = 0; i < revision_length; ++i) text += pick("01.~+b");
    }
    return text;
}

// Asks dpkg about each pair, -1, 0 or 1 per line: `dpkg --compare-versions`
// itself (two processes per pair), or dpkg's own Perl module Dpkg::Version
// (libdpkg-perl, which dpkg-dev needs) in one process for many pairs.
enum class Oracle { dpkg_command, dpkg_perl_module };

std::vector<int> ask_dpkg(Oracle oracle, const std::vector<std::pair<std::string, std::string>>& pairs) {
    TempDir dir;
    std::ostringstream input;
    for (const auto& [left, right] : pairs) input << left << ' ' << right << '\n';
    write_text(dir / "pairs", input.str());
    const std::string command =
        oracle == Oracle::dpkg_command
            ? "while read -r a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo -1; "
              "elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo 0; else echo 1; fi; done < "
            : "perl -MDpkg::Version -ne 'my ($a, $b) = split; my $c = version_compare($a, $b); "
              "print(($c > 0) - ($c < 0), \"\\n\")' ";
    std::string output;
    const int status = run_command(command + (dir / "pairs").string(), &output);
    if (status != 0) {
        ADD_FAILURE() << "dpkg (and libdpkg-perl) are needed for this test: " << output.substr(0, 1000);
        return {};
    }
    std::vector<int> results;
    std::istringstream lines(output);
    int value;
    while (lines >> value) results.push_back(value);
    return results;
}

void expect_order_as(Oracle oracle, const std::vector<std::pair<std::string, std::string>>& pairs) {
    const auto expected = ask_dpkg(oracle, pairs);
    ASSERT_EQ(expected.size(), pairs.size());
    int differences = 0;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const int ours = sign(compare_debian_versions(pairs[i].first, pairs[i].second));
        if (ours != expected[i] && ++differences <= 10)
            ADD_FAILURE() << pairs[i].first << " vs " << pairs[i].second << ": ours " << ours << ", dpkg " << expected[i];
        EXPECT_EQ(sign(compare_debian_versions(pairs[i].second, pairs[i].first)), -ours) << "antisymmetric";
    }
    EXPECT_EQ(differences, 0);
}

std::vector<std::pair<std::string, std::string>> random_pairs(std::size_t count) {
    std::mt19937 random(static_cast<unsigned>(20261201 + count));
    std::vector<std::pair<std::string, std::string>> pairs;
    while (pairs.size() < count) {
        auto left = random_version(random);
        auto right = random() % 5 == 0 ? left + (random() % 2 ? "~" : "+") : random_version(random);
        if (!parse_debian_version(left) || !parse_debian_version(right)) continue;
        pairs.emplace_back(std::move(left), std::move(right));
    }
    return pairs;
}

TEST(DebianVersion, OrdersPairsAsDpkgCompareVersions) {
    auto pairs = random_pairs(200);
    const std::vector<std::pair<std::string, std::string>> known = {
        {"1.0", "1.0"},       {"1.0~rc1", "1.0"},   {"1.0", "1.0+b1"},     {"1:0.9", "2.0"},
        {"1.0-1", "1.0-1~bpo1"}, {"1.0a", "1.0"},   {"1.0", "1.0.0"},      {"0:1.0", "1.0"},
        {"1.0-0", "1.0"},     {"2.30-1", "2.4-1"},  {"1.0~~", "1.0~"},     {"7.6p2-4", "7.6-0"},
        {"1.2.3+dfsg-1", "1.2.3-1"}, {"10", "9"},   {"1.001", "1.1"},      {"1:1.0-1", "1:1.0-1"},
    };
    pairs.insert(pairs.begin(), known.begin(), known.end());
    expect_order_as(Oracle::dpkg_command, pairs);
}

TEST(DebianVersion, OrdersThousandsOfPairsAsDpkgsOwnModule) { expect_order_as(Oracle::dpkg_perl_module, random_pairs(5000)); }

TEST(DebianVersion, SplitsEpochUpstreamAndRevision) {
    auto version = parse_debian_version("2:1.2-3-4ubuntu1");
    ASSERT_TRUE(version);
    EXPECT_EQ(version->epoch, 2u);
    EXPECT_EQ(version->upstream, "1.2-3");
    EXPECT_EQ(version->revision, "4ubuntu1");
    EXPECT_EQ(format_debian_version(*version), "2:1.2-3-4ubuntu1");

    version = parse_debian_version("1.0+dfsg");
    ASSERT_TRUE(version);
    EXPECT_EQ(version->epoch, 0u);
    EXPECT_EQ(version->upstream, "1.0+dfsg");
    EXPECT_EQ(version->revision, "");
    EXPECT_EQ(format_debian_version(*version), "1.0+dfsg");

    version = parse_debian_version("1:2:3-1");  // ':' is allowed in upstream after an epoch
    ASSERT_TRUE(version);
    EXPECT_EQ(version->upstream, "2:3");

    // Epoch 0 is written when the upstream part holds a ':' (the fuzzer's
    // "0:1:1.0~-c1-1+b1"): otherwise "1" would read back as the epoch.
    version = parse_debian_version("0:1:1.0~-c1-1+b1");
    ASSERT_TRUE(version);
    EXPECT_EQ(format_debian_version(*version), "0:1:1.0~-c1-1+b1");
    EXPECT_EQ(compare_debian_versions(format_debian_version(*version), "0:1:1.0~-c1-1+b1"), 0);
}

TEST(DebianVersion, RefusesWhatDpkgRefusesAndSaysWhy) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"", "empty"},
        {"1.0 beta", "blanks"},
        {":1.0", "epoch is empty"},
        {"a:1.0", "epoch is not a number"},
        {"99999999999:1.0", "epoch is too large"},
        {"1:", "upstream version is empty"},
        {"-1", "upstream version is empty"},
        {"1.0-", "revision is empty"},
        {"abc", "does not start with a digit"},
        {"1.0_1", "invalid character in upstream"},
        {"1.0:1", "epoch is not a number"},
        {"1.0-1_2", "invalid character in revision"},
    };
    for (const auto& [text, reason] : bad) {
        std::string problem;
        EXPECT_FALSE(parse_debian_version(text, &problem)) << text;
        EXPECT_NE(problem.find(reason), std::string::npos) << text << ": " << problem;
        // Hostile versions still compare without failing.
        (void)compare_debian_versions(text, "1.0");
    }
}

}  // namespace
}  // namespace chantal::metadata
