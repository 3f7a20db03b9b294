// Catalogue rows for pool files (content_items). One recorder reuses its
// prepared statements across many calls; it belongs to one thread and must
// not outlive its Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"

namespace chantal {

// A pool file with its catalogue row (content_items.id).
struct ContentRow : PoolFile {
    std::int64_t id = 0;
};

// The content_items columns content_row_at() reads, in its order.
inline constexpr std::string_view kContentRowColumns = "id, sha256, filename, size";
// Reads kContentRowColumns from the current row, starting at first_column.
ContentRow content_row_at(const Statement& row, int first_column = 0);

class ContentRecorder {
public:
    explicit ContentRecorder(Database& database);
    // Returns the id of the content with this sha256, inserting a row when
    // new. kind is "package" or "metadata". An existing row keeps its first
    // filename (the pool holds the file under that name).
    std::int64_t record(const PoolEntry& entry, std::string_view kind);
    std::optional<ContentRow> find(std::string_view sha256);
    std::optional<ContentRow> find_by_id(std::int64_t id);
    // Records that a catalogued package's file is this content (packages.content_id).
    void link_package(std::int64_t package_id, std::int64_t content_id);

private:
    Statement insert_;
    Statement select_;
    Statement select_by_id_;
    Statement link_package_;
};

}  // namespace chantal
