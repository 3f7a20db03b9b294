#include "core/catalogue/catalogue_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <optional>

#include "core/base/error.h"
#include "core/catalogue/catalogue_format.h"

namespace chantal {
namespace {

using Json = nlohmann::json;

Json parse_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error::io("cannot open " + file.string(), errno ? errno : ENOENT);
    try {
        return Json::parse(in);
    } catch (const Json::parse_error& error) {
        throw Error::invalid_input(file.string() + ": not a catalogue export (invalid JSON at byte " +
                                   std::to_string(error.byte) + ")");
    }
}

std::string describe_key(const Json& value) {
    if (!value.is_string() && !value.is_array()) return value.dump();
    // Appended piece by piece: GCC 12 at -O3 misreads "'" + std::string as
    // an overlapping copy (-Wrestrict).
    std::string text = "'";
    if (value.is_string()) {
        text += value.get<std::string>();
    } else {
        bool first = true;
        for (const auto& part : value) {
            if (!first) text += '/';
            first = false;
            text += part.is_string() ? part.get<std::string>() : part.dump();
        }
    }
    text += '\'';
    return text;
}

// Inserts the rows of one table, resolving references with reused lookups.
// An export of an older schema may lack the columns later migrations added
// with a DEFAULT (`first_row` tells which): they get that default.
class TableImporter {
public:
    TableImporter(Database& database, const CatalogueTableFormat& format, std::string file, bool older_schema,
                  const Json* first_row)
        : format_(format), file_(std::move(file)) {
        std::string columns;
        std::string values;
        for (const auto& column : live_columns(database, format.name)) {
            if (column.name == "id") continue;
            if (older_schema && column.has_default && first_row && first_row->is_object() &&
                !first_row->contains(column.name))
                continue;
            Field field;
            field.column = column;
            field.json_key = column.name;
            for (const auto& reference : format.references)
                if (reference.column == column.name) {
                    field.kind = reference.kind;
                    field.json_key = reference.kind->json_key;
                    field.lookup.emplace(database, reference.kind->lookup_sql);
                }
            fields_.push_back(std::move(field));
            columns += (columns.empty() ? "\"" : ", \"") + column.name + "\"";
            values += (values.empty() ? "?" : ", ?") + std::to_string(fields_.size());
        }
        insert_.emplace(database, "INSERT INTO \"" + format.name + "\" (" + columns + ") VALUES (" + values + ")");
    }

    std::int64_t import(const Json& rows) {
        if (!rows.is_array()) fail(0, "must be a list of rows");
        std::int64_t count = 0;
        for (const auto& row : rows) {
            ++count;
            import_row(row, count);
        }
        return count;
    }

private:
    struct Field {
        LiveColumn column;
        std::string json_key;
        const ReferenceKind* kind = nullptr;
        std::optional<Statement> lookup;
    };

    [[noreturn]] void fail(std::int64_t entry, const std::string& message) const {
        throw Error::invalid_input(file_ + ": " + format_.name + (entry ? " entry " + std::to_string(entry) : "") +
                                   ": " + message + "; nothing was imported");
    }

    void import_row(const Json& row, std::int64_t entry) {
        if (!row.is_object()) fail(entry, "must be an object");
        for (const auto& [key, value] : row.items())
            if (std::none_of(fields_.begin(), fields_.end(),
                             [&key = key](const Field& field) { return field.json_key == key; }))
                fail(entry, "unknown field '" + key + "'");
        int index = 0;
        for (auto& field : fields_) {
            ++index;
            auto found = row.find(field.json_key);
            if (found == row.end()) fail(entry, "missing field '" + field.json_key + "'");
            if (found->is_null()) {
                if (field.column.not_null) fail(entry, "'" + field.json_key + "' must not be null");
                insert_->bind_null(index);
            } else if (field.kind) {
                insert_->bind(index, resolve(field, *found, entry));
            } else {
                bind_value(index, field, *found, entry);
            }
        }
        try {
            insert_->run();
        } catch (const Error& error) {
            insert_->reset();
            fail(entry, error.what());
        }
    }

    void bind_value(int index, const Field& field, const Json& value, std::int64_t entry) {
        if (value.is_number_integer()) {
            insert_->bind(index, value.get<std::int64_t>());
        } else if (value.is_number_float()) {
            insert_->bind(index, value.get<double>());
        } else if (value.is_string()) {
            if (field.column.declared_type == "BLOB")
                insert_->bind_blob(index, value.get_ref<const std::string&>());
            else
                insert_->bind(index, value.get_ref<const std::string&>());
        } else {
            fail(entry, "'" + field.json_key + "' must be a number, a string or null");
        }
    }

    std::int64_t resolve(Field& field, const Json& value, std::int64_t entry) {
        const std::size_t parts = field.kind->export_sql.size();
        Statement& lookup = *field.lookup;
        if (parts == 1 && value.is_string()) {
            lookup.bind(1, value.get_ref<const std::string&>());
        } else if (parts > 1 && value.is_array() && value.size() == parts &&
                   std::all_of(value.begin(), value.end(), [](const Json& part) { return part.is_string(); })) {
            for (std::size_t part = 0; part < parts; ++part)
                lookup.bind(static_cast<int>(part + 1), value[part].get_ref<const std::string&>());
        } else {
            fail(entry, "'" + field.json_key + "' must be " +
                            (parts == 1 ? std::string("a string") : std::to_string(parts) + " strings"));
        }
        const bool found = lookup.step();
        const std::int64_t id = found ? lookup.column_int64(0) : 0;
        lookup.reset();
        if (!found) fail(entry, "unknown " + field.json_key + " " + describe_key(value));
        return id;
    }

    const CatalogueTableFormat& format_;
    std::string file_;
    std::vector<Field> fields_;
    std::optional<Statement> insert_;
};

// Exports of schema 1-4 carry the per-package XML inside each packages row;
// from 5 on it is a package_metadata row of its own. Moves it there.
void move_package_xml_to_own_rows(Json& tables) {
    const auto packages = tables.find("packages");
    if (packages == tables.end() || !packages->is_array() || tables.contains("package_metadata")) return;
    Json metadata = Json::array();
    for (auto& row : *packages) {
        if (!row.is_object() || !row.contains("primary_xml")) continue;
        Json moved = Json::object();
        moved["package"] = Json::array({row.value("checksum_type", Json()), row.value("checksum", Json())});
        for (const char* column : {"primary_xml", "filelists_xml", "other_xml"}) {
            moved[column] = row.value(column, Json());
            row.erase(column);
        }
        metadata.push_back(std::move(moved));
    }
    tables["package_metadata"] = std::move(metadata);
}

}  // namespace

std::int64_t count_catalogue_rows(Database& database) {
    std::int64_t rows = 0;
    for (const auto& format : catalogue_table_formats())
        rows += database.query_int64("SELECT count(*) FROM \"" + format.name + "\"");
    return rows;
}

CatalogueImportResult import_catalogue(Database& database, const std::filesystem::path& file,
                                       const CatalogueImportOptions& options) {
    Json document = parse_file(file);
    const std::string name = file.string();
    if (!document.is_object() || document.value("format", Json()) != kCatalogueExportFormat)
        throw Error::invalid_input(name + ": not a catalogue export (no \"format\": \"" + kCatalogueExportFormat + "\")");
    const auto version = document.find("schema_version");
    if (version == document.end() || !version->is_number_integer())
        throw Error::invalid_input(name + ": no integer \"schema_version\"");
    const auto tables = document.find("tables");
    if (tables == document.end() || !tables->is_object()) throw Error::invalid_input(name + ": no \"tables\" object");
    constexpr std::int64_t kFirstVersionWithPackageMetadataTable = 5;
    if (version->get<std::int64_t>() < kFirstVersionWithPackageMetadataTable) move_package_xml_to_own_rows(*tables);

    CatalogueImportResult result;
    Transaction transaction(database);
    check_all_tables_covered(database);
    const auto current = database.query_int64("PRAGMA user_version");
    // Exports of an older schema load when every later migration only added
    // tables (their rows are then simply absent) or columns with a default
    // (TableImporter), or moved columns that the document is upgraded for
    // above: true from version 1 on.
    constexpr std::int64_t kOldestImportableVersion = 1;
    const std::int64_t exported = version->get<std::int64_t>();
    if (exported > current || exported < kOldestImportableVersion)
        throw Error::unsupported(name + " has schema version " + std::to_string(version->get<std::int64_t>()) +
                                 " but catalogue " + database.file().string() + " has " + std::to_string(current) +
                                 "; import it with the chantal that exported it, or export again");
    const auto& formats = catalogue_table_formats();
    for (const auto& [table, rows] : tables->items())
        if (std::none_of(formats.begin(), formats.end(),
                         [&table = table](const auto& format) { return format.name == table; }))
            throw Error::invalid_input(name + ": unknown table '" + table + "'; nothing was imported");

    const std::int64_t existing = count_catalogue_rows(database);
    if (existing > 0 && !options.replace_existing)
        throw Error::conflict("catalogue " + database.file().string() + " is not empty (" + std::to_string(existing) +
                              " rows); use --force to replace its contents");
    if (existing > 0) {
        for (auto format = formats.rbegin(); format != formats.rend(); ++format)
            database.execute("DELETE FROM \"" + format->name + "\"");
        result.rows_replaced = existing;
    }
    for (const auto& format : formats) {
        const auto rows = tables->find(format.name);
        if (rows == tables->end()) {
            result.rows_by_table[format.name] = 0;
            continue;
        }
        const Json* first_row = rows->is_array() && !rows->empty() ? &rows->front() : nullptr;
        TableImporter importer(database, format, name, exported < current, first_row);
        result.rows_by_table[format.name] = importer.import(*rows);
    }
    transaction.commit();
    return result;
}

}  // namespace chantal
