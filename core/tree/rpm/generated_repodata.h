// Repodata of a generated tree (design.md §2): repodata/repomd.xml and
// repodata/<sha256>-{primary,filelists,other}.xml.gz (.zst, .bz2 or
// uncompressed .xml with metadata.compression zstandard, bzip2, none) written from the
// packages' stored XML (location href rewritten to the tree path), plus the
// extra files of generated_repodata_extras.h (comps/modules, updateinfo).
// This is the RPM format's generate step (package_format.h, rpm_format.h).
//
// Deterministic: the files depend only on the tree's inputs — its packages
// (path, package row, content) in path order, the extra inputs, the tree's
// timestamp (TreeState::timestamp: repomd <revision> and every <timestamp>)
// and its metadata compression (a line in the digest unless gzip) — and gzip
// headers carry mtime 0. Their sha256 over those inputs is the *tree digest*.
//
// Signing: a tree with a signer (TreeState::signer) also gets
// repodata/repomd.xml.asc (armored, detached) and the signer's public key at
// the root; the signer's fingerprint and key are part of the digest, so the
// signature is made once per tree version and key, then reused.
//
// Caching: the generated files are stored in the pool (kind 'metadata') and
// recorded in generated_metadata under the tree digest, one row per
// metadata_type ('repomd' is written last, in the same transaction, so a
// digest with a 'repomd' row is complete). Any later mount, publish or export
// of a tree with the same digest finds and reuses the same bytes. Two
// processes generating the same digest at once both succeed and record the
// same rows (INSERT OR IGNORE; the pool keeps one file).
//
// Who writes: generation needs a read-write Database and the Pool. The CLI
// (export/publish) calls ensure_generated_repodata() on its own connection;
// chantalfs reads with read-only connections and keeps one extra read-write
// connection used for nothing but these inserts (see fs/generator.h).
//
// Thread safety: free functions; the Database belongs to the calling thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/tree/package_format.h"
#include "core/tree/tree.h"

namespace chantal {

// Bumped whenever the generator's output for the same inputs changes, so
// records of an older generator are not reused.
inline constexpr std::string_view kGeneratedRepodataVersion = "chantal-generated-repodata-1";

// The digest of a generated tree's inputs (one pass over its packages).
std::string generated_tree_digest(Database& database, const TreeContents& contents);

// The recorded repodata of a digest, when complete; nullopt otherwise.
// Works on a read-only connection.
std::optional<GeneratedFiles> find_generated_repodata(Database& database, const std::string& tree_digest);

// Finds or generates, stores and records the repodata of a generated tree.
// `database` must be read-write. `tree_digest` may be passed when already
// computed. Throws Error::internal for a mirror tree, Error::corrupt when a
// package lacks its stored XML, Error::io / busy from the pool or catalogue.
GeneratedFiles ensure_generated_repodata(Database& database, const Pool& pool, const TreeContents& contents,
                                            std::optional<std::string> tree_digest = std::nullopt);

}  // namespace chantal
