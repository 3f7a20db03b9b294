// Index files of generated `latest` trees, made by the command that moves
// them rather than on the first read. The FUSE daemon generates a tree's
// index files when a client first asks for one and holds that request until
// they exist: seconds for a filtered repository, tens of seconds for a view
// of several large repositories, long enough for a client to time out. A
// sync or upload that changes a repository calls prepare_generated_indexes()
// afterwards, so the files are recorded (generated_metadata) before any
// client asks and every mount, publish and export finds them.
//
// Thread safety: free functions; the Database belongs to the calling thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/catalogue/sqlite.h"
#include "core/catalogue/tree_address.h"
#include "core/config/config.h"
#include "core/pool/pool.h"
#include "core/signing/tree_signing_keys.h"

namespace chantal {

// The `latest` trees a change of these repositories moves: each one's own,
// then the latest of every configured view with one of them as a member
// (each view once, in config order).
std::vector<TreeAddress> latest_trees_moved_by(const Config& config, const std::vector<std::string>& repo_ids);

struct PreparedIndexes {
    TreeAddress tree;
    bool generated = false;     // made now (false: they were recorded already)
    std::size_t files = 0;      // index files the tree serves
    double seconds = 0;         // wall time, finding or generating them
    std::optional<Error> error;  // they could not be made (the first read will try again)
};

// For each tree that serves generated index files, finds or generates them
// (signed by the key `signing` gives the tree; null: unsigned). Mirror trees
// and trees that do not exist (a view not created yet, a repository never
// synced) are skipped. A tree that fails is reported and the others go on.
// `database` must be read-write.
std::vector<PreparedIndexes> prepare_generated_indexes(Database& database, const Pool& pool, TreeSigningKeys* signing,
                                                       const std::vector<TreeAddress>& trees);

}  // namespace chantal
