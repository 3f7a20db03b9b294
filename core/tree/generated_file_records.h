// The generated_metadata rows of every format's generated trees: the files
// recorded under a tree digest, one row per metadata type, the completing
// type (RPM: repomd, APT: release) written last in the same transaction, so
// a digest with that row is complete.
//
// Thread safety: free functions and a recorder that belongs to the calling
// thread's Database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"

namespace chantal {

// The recorded files of a digest, sorted by path, when its `completing_type`
// row exists; nullopt otherwise. Works on a read-only connection.
std::optional<GeneratedFiles> find_recorded_generated_files(Database& database, const std::string& tree_digest,
                                                            std::string_view completing_type);

// Records the pool files of one tree digest (INSERT OR IGNORE: a concurrent
// generator of the same digest keeps its rows). The caller holds a
// Transaction and records the completing type last.
class GeneratedFileRecorder {
public:
    GeneratedFileRecorder(Database& database, std::string tree_digest, std::int64_t created_at);
    // Records `entry` (a 'metadata' content row if new) at `path`; adds it to files().
    void record(const std::string& metadata_type, const std::string& path, const PoolEntry& entry);
    GeneratedFiles& files() { return files_; }

private:
    Database& database_;
    std::int64_t created_at_;
    Statement insert_content_;
    Statement select_content_;
    Statement insert_;
    GeneratedFiles files_;
};

}  // namespace chantal
