#include "core/pool/content_records.h"

#include "core/base/file_util.h"

namespace chantal {

ContentRecorder::ContentRecorder(Database& database)
    : insert_(database.prepare("INSERT INTO content_items (sha256, filename, size, kind, added_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING")),
      select_(database.prepare("SELECT " + std::string(kContentRowColumns) + " FROM content_items WHERE sha256 = ?1")),
      select_by_id_(database.prepare("SELECT " + std::string(kContentRowColumns) + " FROM content_items WHERE id = ?1")),
      link_package_(database.prepare("UPDATE packages SET content_id = ?2 WHERE id = ?1")) {}

std::int64_t ContentRecorder::record(const PoolEntry& entry, std::string_view kind) {
    insert_.bind(1, entry.sha256).bind(2, entry.filename).bind(3, entry.size).bind(4, kind).bind(5, unix_time_now()).run();
    return find(entry.sha256)->id;
}

namespace {

std::optional<ContentRow> first_row(Statement& query) {
    std::optional<ContentRow> row;
    if (query.step()) row = content_row_at(query);
    query.reset();
    return row;
}

}  // namespace

ContentRow content_row_at(const Statement& row, int first_column) {
    ContentRow content;
    content.id = row.column_int64(first_column);
    content.sha256 = row.column_text(first_column + 1);
    content.filename = row.column_text(first_column + 2);
    content.size = static_cast<std::uint64_t>(row.column_int64(first_column + 3));
    return content;
}

std::optional<ContentRow> ContentRecorder::find(std::string_view sha256) {
    select_.bind(1, sha256);
    return first_row(select_);
}

std::optional<ContentRow> ContentRecorder::find_by_id(std::int64_t id) {
    select_by_id_.bind(1, id);
    return first_row(select_by_id_);
}

void ContentRecorder::link_package(std::int64_t package_id, std::int64_t content_id) {
    link_package_.bind(1, package_id).bind(2, content_id).run();
}

}  // namespace chantal
