#include "core/tree/generated_file_records.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal {

std::optional<GeneratedFiles> find_recorded_generated_files(Database& database, const std::string& tree_digest,
                                                            std::string_view completing_type) {
    auto statement = database.prepare(
        "SELECT g.metadata_type, g.path, c.sha256, c.filename, c.size FROM generated_metadata g "
        "JOIN content_items c ON c.id = g.content_id WHERE g.tree_digest = ?1 ORDER BY g.path");
    statement.bind(1, tree_digest);
    GeneratedFiles found;
    found.tree_digest = tree_digest;
    bool complete = false;
    while (statement.step()) {
        GeneratedFile file{statement.column_text(1), statement.column_text(0),
                           {statement.column_text(2), statement.column_text(3),
                            static_cast<std::uint64_t>(statement.column_int64(4))}};
        complete = complete || file.metadata_type == completing_type;
        found.files.push_back(std::move(file));
    }
    if (!complete) return std::nullopt;
    return found;
}

void add_packages_to_digest(Hasher& hasher, Database& database, const TreeContents& contents) {
    std::string line;
    contents.for_each_package(database, [&](const TreePackageRow& package) {
        line = package.path;
        line += '\t';
        line += std::to_string(package.package_id);
        line += '\t';
        line += package.file.sha256;
        line += '\n';
        hasher.update(line);
    });
}

void add_signer_to_digest(Hasher& hasher, const TreeState& state) {
    if (const auto& signer = state.signer)
        hasher.update("signed-by " + signer->key->fingerprint() + " " + sha256_hex(signer->key->armored_public_key()) +
                      " " + signer->public_key_name + "\n");
}

GeneratedFiles GeneratedFileRecorder::sorted_files() {
    GeneratedFiles sorted = files_;
    std::sort(sorted.files.begin(), sorted.files.end(),
              [](const GeneratedFile& a, const GeneratedFile& b) { return a.path < b.path; });
    return sorted;
}

GeneratedFileRecorder::GeneratedFileRecorder(Database& database, std::string tree_digest, std::int64_t created_at)
    : created_at_(created_at),
      insert_content_(database.prepare("INSERT OR IGNORE INTO content_items (sha256, filename, size, kind, added_at) "
                                       "VALUES (?1, ?2, ?3, 'metadata', ?4)")),
      select_content_(database.prepare("SELECT id FROM content_items WHERE sha256 = ?1")),
      insert_(database.prepare("INSERT OR IGNORE INTO generated_metadata (tree_digest, metadata_type, path, content_id, "
                               "created_at) VALUES (?1, ?2, ?3, ?4, ?5)")) {
    files_.tree_digest = std::move(tree_digest);
}

void GeneratedFileRecorder::record(const std::string& metadata_type, const std::string& path, const PoolEntry& entry) {
    insert_content_.bind(1, entry.sha256).bind(2, entry.filename).bind(3, entry.size).bind(4, unix_time_now()).run();
    select_content_.bind(1, entry.sha256);
    if (!select_content_.step()) throw Error::internal("content row of " + entry.sha256 + " vanished");
    const std::int64_t content_id = select_content_.column_int64(0);
    select_content_.reset();
    insert_.bind(1, files_.tree_digest).bind(2, metadata_type).bind(3, path).bind(4, content_id).bind(5, created_at_).run();
    files_.files.push_back({path, metadata_type, {entry.sha256, entry.filename, entry.size}});
}

}  // namespace chantal
