// The generated_metadata rows of every format's generated trees: the files
// recorded under a tree digest, one row per metadata type, the completing
// type (RPM: repomd, APT: release) written last in the same transaction, so
// a digest with that row is complete.
//
// Also the parts every format's tree digest and writers share.
//
// Thread safety: free functions and a recorder that belongs to the calling
// thread's Database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/base/hash.h"
#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"
#include "metadata/compression/byte_stream.h"

namespace chantal {

// The recorded files of a digest, sorted by path, when its `completing_type`
// row exists; nullopt otherwise. Works on a read-only connection.
std::optional<GeneratedFiles> find_recorded_generated_files(Database& database, const std::string& tree_digest,
                                                            std::string_view completing_type);

// Adds a line per package of the tree (path, package row, file sha256), in
// path order, to a tree digest.
void add_packages_to_digest(Hasher& hasher, Database& database, const TreeContents& contents);
// Adds the signer's fingerprint, public key and its file name (nothing when unsigned).
void add_signer_to_digest(Hasher& hasher, const TreeState& state);

// Streams bytes into a pool file (a compressing writer's output).
class PoolWriterSink final : public metadata::ByteSink {
public:
    explicit PoolWriterSink(PoolWriter& writer) : writer_(writer) {}
    void write(const void* data, std::size_t size) override { writer_.write(data, size); }
    using ByteSink::write;

private:
    PoolWriter& writer_;
};

// Records the pool files of one tree digest (INSERT OR IGNORE: a concurrent
// generator of the same digest keeps its rows). The caller holds a
// Transaction and records the completing type last.
class GeneratedFileRecorder {
public:
    GeneratedFileRecorder(Database& database, std::string tree_digest, std::int64_t created_at);
    // Records `entry` (a 'metadata' content row if new) at `path`; adds it to files().
    void record(const std::string& metadata_type, const std::string& path, const PoolEntry& entry);
    GeneratedFiles& files() { return files_; }
    // What was recorded, sorted by path.
    GeneratedFiles sorted_files();

private:
    std::int64_t created_at_;
    Statement insert_content_;
    Statement select_content_;
    Statement insert_;
    GeneratedFiles files_;
};

}  // namespace chantal
