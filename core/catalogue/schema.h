// The catalogue schema as an ordered list of migrations. Migration N takes a
// catalogue from user_version N-1 to N; they are applied in order, each in
// its own transaction, and never edited once released (add a new one).
#pragma once

#include <span>
#include <string_view>

namespace chantal {

struct Migration {
    int version;                 // user_version after this migration
    std::string_view sql;        // statements to run
    std::string_view name = {};  // what it adds, in a few words (`db status`)
};

// The migrations of this build, ascending by version.
std::span<const Migration> catalogue_migrations();

// "CHNT": PRAGMA application_id of every Chantal catalogue.
inline constexpr int kCatalogueApplicationId = 0x43484e54;

}  // namespace chantal
