// Extra files of a generated tree's repodata, beyond primary, filelists and
// other: everything a generated tree carries besides its package lists.
//  - comps (group, group_gz) and modules: passed through byte for byte from
//    the one source that has them, or merged (repodata_merge.h) when a
//    view's members carry several;
//  - updateinfo: the advisories of the tree (errata_query.h), written anew
//    in the tree's metadata compression (comps and modules keep theirs).
// A new extra file adds its inputs to extra_repodata_inputs() and its
// producer to produce_extra_repodata(). Every input that changes an extra file's bytes must appear in
// extra_repodata_inputs(): it feeds the tree digest (generated_repodata.h).
#pragma once

#include <string>
#include <vector>

#include "core/catalogue/sqlite.h"
#include "core/pool/pool.h"
#include "core/tree/tree.h"
#include "metadata/compression/compressing_writer.h"
#include "metadata/rpm/repomd.h"

namespace chantal {

struct ExtraRepodataFile {
    metadata::RepomdRecord record;  // location_href is the tree path; timestamp set by the caller
    PoolFile file;
};

// The format of the index files generated for `state` (its
// metadata.compression; automatic is gzip).
metadata::CompressionFormat generated_compression_format(const TreeState& state);

// The repomd record of a generated index file written with `format`:
// "repodata/<sha256>-<type>.xml<suffix>", checksums and sizes from `digests`
// (no open-checksum/open-size for an uncompressed file). Timestamp unset.
metadata::RepomdRecord generated_record(const std::string& type, metadata::CompressionFormat format,
                                        const metadata::GzipDigests& digests);

// Stable, human-readable lines naming every input of the extras
// ("group <sha256>"), in a fixed order.
std::vector<std::string> extra_repodata_inputs(Database& database, const TreeContents& contents);

// The extra files, each already in the pool.
std::vector<ExtraRepodataFile> produce_extra_repodata(Database& database, const Pool& pool,
                                                      const TreeContents& contents);

}  // namespace chantal
