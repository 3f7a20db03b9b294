// Index file generation for the daemon. chantalfs reads the catalogue with
// read-only connections; generating a tree's index files (its format's
// job, core/tree/package_format.h) is its only write: the files go into the
// pool and one transaction records them in generated_metadata. This class
// owns the one read-write connection used for that, opened on first use.
//
// Thread safety: generate() may be called from any thread; calls are
// serialised by mutex_. Lock order: TreeHandle::mutex -> Generator::mutex_.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "core/pool/pool.h"
#include "core/tree/package_format.h"
#include "fs/catalogue_connection.h"

namespace chantal::fs {

class Generator {
public:
    // wait_limit: how long a write waits for a CLI's write lock (fs/catalogue_connection.h).
    Generator(std::filesystem::path database_file, const Pool& pool, std::chrono::milliseconds wait_limit)
        : database_file_(std::move(database_file)), pool_(pool), wait_limit_(wait_limit) {}
    GeneratedFiles generate(const TreeContents& contents, const std::string& tree_digest);

private:
    std::filesystem::path database_file_;
    const Pool& pool_;
    std::chrono::milliseconds wait_limit_;
    std::mutex mutex_;  // guards connection_; see the lock order above
    std::optional<CatalogueConnection> connection_;
};

}  // namespace chantal::fs
