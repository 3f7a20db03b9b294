#include "core/catalogue/lookups.h"

namespace chantal {
namespace {

std::optional<std::int64_t> find_row(Database& database, std::string_view sql, std::string_view key) {
    Statement query = database.prepare(sql);
    query.bind(1, key);
    if (!query.step()) return std::nullopt;
    return query.column_int64(0);
}

}  // namespace

std::optional<std::int64_t> find_repository_row(Database& database, std::string_view repo_id) {
    return find_row(database, "SELECT id FROM repositories WHERE repo_id = ?1", repo_id);
}

std::string has_latest_sql(std::string_view alias) {
    const std::string row(alias);
    return "(" + row + ".latest_changed_at IS NOT NULL OR EXISTS (SELECT 1 FROM repository_contents WHERE repository_id = " +
           row + ".id))";
}

bool has_latest(Database& database, std::int64_t repository_row) {
    Statement query = database.prepare("SELECT " + has_latest_sql("r") + " FROM repositories r WHERE r.id = ?1");
    query.bind(1, repository_row);
    return query.step() && query.column_int64(0) != 0;
}

std::optional<std::int64_t> find_view_row(Database& database, std::string_view name) {
    return find_row(database, "SELECT id FROM views WHERE name = ?1", name);
}

std::int64_t count_content_items(Database& database) { return database.query_int64("SELECT count(*) FROM content_items"); }

}  // namespace chantal
