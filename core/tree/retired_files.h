// Files that left a `latest` tree (retired_tree_files): what keeps the
// previous state of a moved `latest` readable by name for the grace period.
//
// A sync records, in the transaction that switches a repo's latest, every
// file of the old state whose path no longer names the same content (the
// previous repomd.xml's primary/filelists/other, removed packages). From the
// moment the new state is visible, every mount can serve those names and
// pool cleanup keeps their files; both look at `retired_at`, so the CLI and
// all daemons agree without talking to each other. Rows older than the grace
// period are deleted by the next sync of the repo and by pool cleanup.
//
// Thread safety: a RetiredFileRecorder belongs to the thread of its Database
// and must not outlive it; the free functions take the caller's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/catalogue/sqlite.h"
#include "core/tree/tree.h"

namespace chantal {

class RetiredFileRecorder {
public:
    explicit RetiredFileRecorder(Database& database);
    // Records that `path` (holding content `content_id`) left `tree_path` at
    // `retired_at` (unix seconds). A file retired again gets the newer time.
    // Nothing is recorded for a content id without a content_items row (a
    // damaged catalogue): there is no file to keep or serve.
    void record(std::string_view tree_path, std::string_view path, std::int64_t content_id, std::int64_t retired_at);

private:
    Statement insert_;
};

// A file that left `tree_path` at `retired_since` or later, found by its path
// in that tree; the most recently retired one when several match.
std::optional<PoolFile> find_retired_file(Database& database, std::string_view tree_path, std::string_view path,
                                          std::int64_t retired_since);

// Deletes the rows of files retired before `retired_before` (unix seconds),
// of one tree or (tree_path empty) of every tree. Returns how many went.
std::int64_t forget_retired_files(Database& database, std::string_view tree_path, std::int64_t retired_before);

}  // namespace chantal
