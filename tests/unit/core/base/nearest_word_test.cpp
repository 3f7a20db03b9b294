#include "core/base/nearest_word.h"

#include <gtest/gtest.h>

using chantal::nearest_word;

TEST(NearestWord, FindsTyposAndPrefixes) {
    const std::vector<std::string> commands = {"list", "show", "sync", "check-updates", "history"};
    EXPECT_EQ(nearest_word("lst", commands), "list");
    EXPECT_EQ(nearest_word("snyc", commands), "sync");
    EXPECT_EQ(nearest_word("check", commands), "check-updates");
    EXPECT_EQ(nearest_word("histroy", commands), "history");
    EXPECT_EQ(nearest_word("secuirty", {"bugfix", "security"}), "security");
}

TEST(NearestWord, NothingWhenNoCandidateIsClose) {
    EXPECT_EQ(nearest_word("validate", {"init", "repo", "snapshot", "view"}), std::nullopt);
    EXPECT_EQ(nearest_word("x", {}), std::nullopt);
    EXPECT_EQ(nearest_word("colour", {"id", "feed", "name"}), std::nullopt);
}
