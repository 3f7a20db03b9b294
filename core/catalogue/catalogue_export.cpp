#include "core/catalogue/catalogue_export.h"

#include <nlohmann/json.hpp>

#include <ostream>

#include "core/base/error.h"
#include "core/catalogue/catalogue_format.h"

namespace chantal {
namespace {

std::string replace_placeholder(std::string sql, const std::string& id_expression) {
    for (auto at = sql.find('$'); at != std::string::npos; at = sql.find('$', at + id_expression.size()))
        sql.replace(at, 1, id_expression);
    return sql;
}

// One JSON key of an exported row and where its value sits in the SELECT.
struct OutputField {
    std::string json_key;
    int first_column = 0;
    int parts = 1;                 // >1: array of parts (composite natural key)
    bool reference = false;
    int raw_column = -1;           // reference: the id column itself (NULL vs dangling)
};

struct TableQuery {
    std::string sql;
    std::vector<OutputField> fields;
};

TableQuery build_query(Database& database, const CatalogueTableFormat& format) {
    TableQuery query;
    std::vector<std::string> select;
    std::vector<std::string> order;
    auto reference_of = [&](const std::string& column) -> const ReferenceKind* {
        for (const auto& reference : format.references)
            if (reference.column == column) return reference.kind;
        return nullptr;
    };
    auto expressions_of = [&](const std::string& column) {
        std::vector<std::string> expressions;
        if (const ReferenceKind* kind = reference_of(column))
            for (const auto& part : kind->export_sql) expressions.push_back(replace_placeholder(part, "t." + column));
        else
            expressions.push_back("t.\"" + column + "\"");
        return expressions;
    };
    for (const auto& key : format.natural_key)
        for (auto& expression : expressions_of(key)) order.push_back(std::move(expression));
    for (const auto& column : live_columns(database, format.name)) {
        if (column.name == "id") continue;
        OutputField field;
        field.first_column = static_cast<int>(select.size());
        const auto expressions = expressions_of(column.name);
        if (const ReferenceKind* kind = reference_of(column.name)) {
            field.json_key = kind->json_key;
            field.parts = static_cast<int>(expressions.size());
            field.reference = true;
        } else {
            field.json_key = column.name;
        }
        for (const auto& expression : expressions) {
            select.push_back(expression);
            if (std::find(format.natural_key.begin(), format.natural_key.end(), column.name) == format.natural_key.end())
                order.push_back(expression);
        }
        if (field.reference) {
            field.raw_column = static_cast<int>(select.size());
            select.push_back("t.\"" + column.name + "\"");
        }
        query.fields.push_back(std::move(field));
    }
    query.sql = "SELECT ";
    for (std::size_t i = 0; i < select.size(); ++i) query.sql += (i ? ", " : "") + select[i];
    query.sql += " FROM \"" + format.name + "\" t ORDER BY ";
    for (std::size_t i = 0; i < order.size(); ++i) query.sql += (i ? ", " : "") + order[i];
    return query;
}

nlohmann::ordered_json column_value(const Statement& statement, int column) {
    switch (sqlite3_column_type(statement.handle(), column)) {
        case SQLITE_NULL: return nullptr;
        case SQLITE_INTEGER: return statement.column_int64(column);
        case SQLITE_FLOAT: return statement.column_double(column);
        default: return statement.column_text(column);  // TEXT and BLOB (UTF-8 XML)
    }
}

void export_table(Database& database, const CatalogueTableFormat& format, std::ostream& out) {
    const TableQuery query = build_query(database, format);
    Statement rows(database, query.sql);
    out << "    \"" << format.name << "\": [";
    bool first = true;
    std::size_t index = 0;
    while (rows.step()) {
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (const auto& field : query.fields) {
            if (!field.reference) {
                row[field.json_key] = column_value(rows, field.first_column);
                continue;
            }
            if (rows.column_is_null(field.raw_column)) {
                row[field.json_key] = nullptr;
                continue;
            }
            nlohmann::ordered_json parts = nlohmann::ordered_json::array();
            for (int part = 0; part < field.parts; ++part) {
                if (rows.column_is_null(field.first_column + part))
                    throw Error::corrupt("catalogue " + database.file().string() + ": a " + format.name +
                                         " row references a missing " + field.json_key + " (id " +
                                         std::to_string(rows.column_int64(field.raw_column)) +
                                         "); run 'chantal db verify'");
                parts.push_back(rows.column_text(field.first_column + part));
            }
            row[field.json_key] = field.parts == 1 ? parts[0] : parts;
        }
        std::string line;
        try {
            line = row.dump();
        } catch (const nlohmann::json::exception&) {
            throw Error::unsupported("catalogue " + database.file().string() + ": " + format.name + " row " +
                                     std::to_string(index + 1) + " holds text that is not UTF-8; it cannot be exported");
        }
        out << (first ? "\n      " : ",\n      ") << line;
        first = false;
        ++index;
    }
    out << (first ? "]" : "\n    ]");
}

}  // namespace

void export_catalogue(Database& database, std::ostream& out) {
    ReadTransaction transaction(database);
    check_all_tables_covered(database);
    const auto schema_version = database.query_int64("PRAGMA user_version");
    out << "{\n  \"format\": \"" << kCatalogueExportFormat << "\",\n  \"schema_version\": " << schema_version
        << ",\n  \"tables\": {\n";
    const auto& formats = catalogue_table_formats();
    for (std::size_t i = 0; i < formats.size(); ++i) {
        export_table(database, formats[i], out);
        out << (i + 1 < formats.size() ? ",\n" : "\n");
    }
    out << "  }\n}\n";
    out.flush();
    if (!out) throw Error::io("cannot write the catalogue export", EIO);
}

}  // namespace chantal
