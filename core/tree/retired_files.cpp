#include "core/tree/retired_files.h"

#include "core/pool/content_records.h"

namespace chantal {

RetiredFileRecorder::RetiredFileRecorder(Database& database)
    : insert_(database,
              "INSERT INTO retired_tree_files (tree_path, path, content_id, retired_at) "
              "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM content_items WHERE id = ?3) "
              "ON CONFLICT (tree_path, path, content_id) DO UPDATE SET retired_at = max(retired_at, excluded.retired_at)") {}

void RetiredFileRecorder::record(std::string_view tree_path, std::string_view path, std::int64_t content_id,
                                 std::int64_t retired_at) {
    insert_.bind(1, tree_path).bind(2, path).bind(3, content_id).bind(4, retired_at).run();
}

std::optional<PoolFile> find_retired_file(Database& database, std::string_view tree_path, std::string_view path,
                                          std::int64_t retired_since) {
    Statement query(database,
                    "SELECT i.sha256, i.filename, i.size FROM retired_tree_files r JOIN content_items i ON i.id = r.content_id "
                    "WHERE r.tree_path = ?1 AND r.path = ?2 AND r.retired_at >= ?3 ORDER BY r.retired_at DESC LIMIT 1");
    query.bind(1, tree_path).bind(2, path).bind(3, retired_since);
    if (!query.step()) return std::nullopt;
    return PoolFile{query.column_text(0), query.column_text(1), static_cast<std::uint64_t>(query.column_int64(2))};
}

std::int64_t retire_replaced_generated_files(Database& database, const PackageFormat& format,
                                             std::string_view tree_path, const GeneratedFiles& files,
                                             std::int64_t now) {
    Transaction transaction(database);
    Statement previous(database, "SELECT tree_digest FROM latest_generated_digests WHERE tree_path = ?1");
    previous.bind(1, tree_path);
    const std::optional<std::string> previous_digest =
        previous.step() ? std::optional<std::string>(previous.column_text(0)) : std::nullopt;
    previous.reset();
    if (previous_digest == files.tree_digest) return 0;
    std::int64_t retired = 0;
    if (previous_digest) {
        if (const auto old_files = format.find_generated_files(database, *previous_digest)) {
            RetiredFileRecorder recorder(database);
            ContentRecorder contents(database);
            for (const auto& old : old_files->files) {
                const GeneratedFile* staying = files.find(old.path);
                if (staying && staying->file.sha256 == old.file.sha256) continue;
                if (const auto content = contents.find(old.file.sha256)) {
                    recorder.record(tree_path, old.path, content->id, now);
                    ++retired;
                }
            }
        }
    }
    Statement record(database,
                     "INSERT INTO latest_generated_digests (tree_path, tree_digest, recorded_at) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (tree_path) DO UPDATE SET tree_digest = excluded.tree_digest, "
                     "recorded_at = excluded.recorded_at");
    record.bind(1, tree_path).bind(2, files.tree_digest).bind(3, now).run();
    transaction.commit();
    return retired;
}

std::int64_t forget_retired_files(Database& database, std::string_view tree_path, std::int64_t retired_before) {
    if (tree_path.empty()) {
        Statement remove(database, "DELETE FROM retired_tree_files WHERE retired_at < ?1");
        remove.bind(1, retired_before).run();
    } else {
        Statement remove(database, "DELETE FROM retired_tree_files WHERE tree_path = ?1 AND retired_at < ?2");
        remove.bind(1, tree_path).bind(2, retired_before).run();
    }
    return database.changes();
}

}  // namespace chantal
