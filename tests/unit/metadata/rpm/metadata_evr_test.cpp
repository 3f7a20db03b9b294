#include <gtest/gtest.h>

#include <array>
#include <sstream>

#include "metadata/rpm/evr.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

const std::vector<std::string> kVersions = {
    "",          "0",          "1",        "01",        "1.0",       "1.0.0",      "1.00",      "1.01",
    "1.1",       "1.0a",       "1.0.1",    "1.0~rc1",   "1.0~rc2",   "1.0~~",      "1.0~",      "1.0^",
    "1.0^git1",  "1.0^git2",   "1.0~rc1^git1", "1.0^git1~pre", "1.0.1^",  "a",         "b",         "A",
    "aa",        "1a",         "1b",       "a1",        "1_0",       "1-0",       "1+0",        "1..0",
    "2.0",       "10",         "9",        "1.9",       "1.10",      "1.0.0.0",   "2~1",        "2^1",
    "0001",      "1.0rc1",     "1.0RC1",   "1.0.rc1",   "5.2.13.1",  "2024.01.02", "1e10",      "1.2.3-beta",
    "~",         "^",          "~~",       "^^",        "1.0^~",     "1.0~^",     "9999999999999999999999", "99999999999999999998",
};

// Asks the real rpm library (rpm 4.18) about every row (fields separated by
// tabs). mode "vercmp": rows "a b", answered by librpmio's rpmvercmp() through
// ctypes (it accepts any string, "" and "-" included); mode "label": rows
// "e1 v1 r1 e2 v2 r2", answered by python3-rpm's labelCompare().
std::vector<int> ask_rpm(const std::string& mode, const std::vector<std::vector<std::string>>& rows) {
    TempDir dir;
    std::ostringstream input;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) input << (i ? "\t" : "") << row[i];
        input << "\n";
    }
    write_text(dir / "rows.tsv", input.str());
    write_text(dir / "compare.py",
               "import sys, ctypes, rpm\n"
               "rpmio = ctypes.CDLL('librpmio.so.9')\n"
               "rpmio.rpmvercmp.argtypes = [ctypes.c_char_p, ctypes.c_char_p]\n"
               "for line in open(sys.argv[2], encoding='utf-8'):\n"
               "    f = line.rstrip('\\n').split('\\t')\n"
               "    if sys.argv[1] == 'vercmp':\n"
               "        print(rpmio.rpmvercmp(f[0].encode(), f[1].encode()))\n"
               "    else:\n"
               "        print(rpm.labelCompare((f[0], f[1], f[2]), (f[3], f[4], f[5])))\n");
    std::string output;
    int status = run_command("/usr/bin/python3 " + (dir / "compare.py").string() + " " + mode + " " +
                                 (dir / "rows.tsv").string(),
                             &output);
    if (status != 0) {
        ADD_FAILURE() << "the real rpm library is needed for this test (apt-get install python3-rpm librpmio9); "
                         "/usr/bin/python3 said: "
                      << output.substr(0, 1500);
        return {};
    }
    std::vector<int> results;
    std::istringstream lines(output);
    int value;
    while (lines >> value) results.push_back(value < 0 ? -1 : value > 0 ? 1 : 0);
    EXPECT_EQ(results.size(), rows.size());
    return results;
}

TEST(MetadataEvr, RpmvercmpMatchesRpmOnEveryPair) {
    std::vector<std::vector<std::string>> rows;
    for (const std::string& left : kVersions)
        for (const std::string& right : kVersions) rows.push_back({left, right});
    std::vector<int> expected = ask_rpm("vercmp", rows);
    ASSERT_EQ(expected.size(), rows.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        int ours = rpmvercmp(rows[i][0], rows[i][1]);
        if (ours != expected[i] && ++mismatches < 20)
            ADD_FAILURE() << "rpmvercmp(\"" << rows[i][0] << "\", \"" << rows[i][1] << "\") = " << ours << ", rpm says "
                          << expected[i];
    }
    EXPECT_EQ(mismatches, 0) << "of " << rows.size() << " pairs";
    EXPECT_GT(rows.size(), 1000u);
}

TEST(MetadataEvr, EvrCompareMatchesRpm) {
    const std::vector<std::array<std::string, 3>> evrs = {
        {"0", "1.0", "1"},  {"1", "0.1", "1"},      {"2", "1.0~rc1", "1"}, {"0", "1.0", "1.el9"},
        {"0", "1.0", "1.el9_1"}, {"0", "1.0", "2"}, {"10", "1", "1"},      {"9", "1", "1"},
        {"0", "1.0", "1~beta"}, {"0", "1.0", "1^post"}, {"0", "1.0", ""},  {"0", "1.0^git1", "1"},
        {"0", "1.0", "01"}, {"1", "1.0~rc1", "0.1"},
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : evrs)
        for (const auto& r : evrs) rows.push_back({l[0], l[1], l[2], r[0], r[1], r[2]});
    std::vector<int> expected = ask_rpm("label", rows);
    ASSERT_EQ(expected.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        Evr left{std::stoull(rows[i][0]), rows[i][1], rows[i][2]};
        Evr right{std::stoull(rows[i][3]), rows[i][4], rows[i][5]};
        EXPECT_EQ(compare_evr(left, right), expected[i])
            << rows[i][0] << ":" << rows[i][1] << "-" << rows[i][2] << " vs " << rows[i][3] << ":" << rows[i][4] << "-"
            << rows[i][5];
    }
}

TEST(MetadataEvr, NamedCases) {
    EXPECT_LT(rpmvercmp("1.0~rc1", "1.0"), 0);
    EXPECT_GT(rpmvercmp("1.0^git1", "1.0"), 0);
    EXPECT_LT(rpmvercmp("1.0^git1", "1.0.1"), 0);
    EXPECT_GT(rpmvercmp("1.0^", "1.0~"), 0);
    EXPECT_LT(rpmvercmp("a", "1"), 0);
    EXPECT_EQ(rpmvercmp("1.01", "1.1"), 0);
    EXPECT_LT(rpmvercmp("1.0a", "1.0.1"), 0);
    EXPECT_EQ(rpmvercmp("", ""), 0);
}

TEST(MetadataEvr, ParseEvr) {
    Evr evr = parse_evr("2:1.0~rc1-1.el9");
    EXPECT_EQ(evr.epoch, 2u);
    EXPECT_EQ(evr.version, "1.0~rc1");
    EXPECT_EQ(evr.release, "1.el9");
    evr = parse_evr("1.0");
    EXPECT_EQ(evr.epoch, 0u);
    EXPECT_EQ(evr.version, "1.0");
    EXPECT_EQ(evr.release, "");
}

}  // namespace
}  // namespace chantal::metadata
