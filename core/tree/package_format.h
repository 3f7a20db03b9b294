// The package-format seam (design.md §1): what a format (rpm today; deb
// next) implements so that the sync driver, trees, snapshots, views,
// export, FUSE and maintenance never branch on the format. To add a format:
//
//   1. metadata/<format>/: parsers and writers of its index files (they
//      depend only on core/base/).
//   2. A PackageFormat subclass (below) in core/tree/<format>/, with its
//      generated index files (RPM: core/tree/rpm/rpm_format.h), and an
//      UpstreamFeed subclass in core/sync/<format>/ (RPM:
//      core/sync/rpm/rpm_feed.h).
//   3. One line in each registry: core/tree/package_formats.cpp (the
//      format) and core/sync/upstream_feeds.cpp (its feed); and the type in
//      the config's `type:` check.
//
// A repository's format is its config `type:` and its catalogue row's
// `format` column; the packages a format catalogues carry the same column.
// A view's members all have one format (the config refuses a mix).
//
// Duties of a format:
//   - read upstream indexes into catalogue rows: UpstreamFeed fetches the
//     feed's top index (repomd.xml), then the index files it lists into the
//     pool, then catalogues the packages they describe;
//   - compare versions (filters' "latest N", package lists, diff);
//   - say which files a mirror tree holds: the fetched index files at their
//     tree paths plus each package at its upstream location (or why that
//     location cannot be served as is, which makes the tree a generated one);
//   - generate the index files of a generated tree (deterministic, stored in
//     the pool and recorded under the tree's digest).
//
// Thread safety: a PackageFormat is an immutable singleton, shareable
// between threads. An UpstreamFeed belongs to the one sync that opened it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/hash.h"
#include "core/catalogue/sqlite.h"
#include "core/config/config.h"
#include "core/download/download.h"
#include "core/download/download_verifier.h"
#include "core/download/sync_observer.h"
#include "core/pool/pool.h"
#include "core/signing/upstream_trust.h"
#include "core/tree/tree.h"

namespace chantal {

struct PackageVersion {
    std::uint64_t epoch = 0;
    std::string_view version;
    std::string_view release;
};

// Where a mirror tree can serve an upstream package.
enum class MirrorPlacement {
    in_tree,       // at `location`, byte for byte as upstream lays it out
    outside_tree,  // fetchable from `url`, but not at a clean tree path: a generated tree serves it
    refused,       // must not be fetched at all (another host, a local file outside the feed, ...)
};

class PackageFormat;

// One package an upstream index lists, as the sync driver keeps it in
// memory (no per-package metadata: that is in the catalogue row). Names and
// the URL are computed by its format when asked, not stored: a sync keeps
// one of these per upstream package (100k+).
struct UpstreamPackage {
    const PackageFormat* format = nullptr;  // the format that read it (a singleton)
    std::int64_t package_id = 0;   // its catalogue row (packages.id)
    std::string name;
    std::string arch;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    HashAlgorithm checksum_algorithm = HashAlgorithm::sha256;
    std::string checksum;          // upstream's checksum of the file, lowercase hex
    std::uint64_t size = 0;        // bytes; 0 when upstream does not say
    std::string location;          // upstream's path for it, as written (data, never a local path)
    std::string location_base;     // a base URL the index gives for `location`; "": the feed
    std::string component;         // APT: the component whose index lists it ("main"); "" for RPM
    std::string source_name;       // APT: its source package's name; "" for RPM
    MirrorPlacement placement = MirrorPlacement::refused;
    std::string placement_problem; // why, unless placement is in_tree
    std::optional<std::int64_t> content_id;  // set once the file is in the pool

    PackageVersion package_version() const { return {epoch, version, release}; }
    // The pool and generated-tree file name, made by the format (never taken from `location`).
    std::string file_name() const;
    // For messages: "nginx-1:1.24.0-1.el9.x86_64".
    std::string full_name() const;
    // Where to download it. Throws Error::invalid_input when placement is refused.
    std::string url(const RepositoryConfig& repository) const;
};

// One index file of a mirror tree (repomd.xml, its signature, primary, ...).
struct UpstreamIndexFile {
    std::string path;           // tree path: "repodata/repomd.xml"
    std::string metadata_type;  // the format's name for it: "repomd", "primary", "repomd_signature", ...
    PoolEntry pool_entry;       // where its bytes are
    std::optional<std::uint64_t> open_size;  // declared decompressed size, when upstream gives one
};

// Which index files a sync fetches: all (a sync, so that the mirror tree is
// complete), or those that list packages (checks and repair).
enum class IndexScope { everything, package_lists };

struct UpstreamIndexes {
    std::vector<UpstreamIndexFile> files;  // the top index first
    // Set when some index file's path is not a clean tree path: the feed
    // cannot be served as a mirror tree (the reason, for a warning).
    std::optional<std::string> leaves_tree;
    std::int64_t files_downloaded = 0;
    std::uint64_t bytes_downloaded = 0;
};

// A file upstream offers now, for repair by checksum.
struct UpstreamOffer {
    std::string url;                   // where to fetch it; "" when `bytes` holds it
    std::optional<std::string> bytes;  // the top index and its signature, fetched already
    ExpectedChecksum checksum;         // upstream's checksum of the file (its own algorithm)
    std::optional<std::uint64_t> size;
    std::string file_name;             // the last component of upstream's path
};

// One sync's view of one upstream repository, from its top index on. Any
// failure throws chantal::Error naming the repository and the file (URLs
// without credentials).
class UpstreamFeed {
public:
    virtual ~UpstreamFeed() = default;
    // sha256 of the top index as fetched: equal values mean upstream is unchanged.
    virtual const std::string& index_sha256() const = 0;
    // sha256 of the other upstream file a sync serves that the top index
    // does not cover (RPM: .treeinfo, the installer tree's own index); ""
    // when there is none. Enters the up-to-date decision beside index_sha256.
    virtual std::string extra_index_sha256() const { return {}; }
    // The top index (and its signature and key) by bytes, and every file it lists by URL.
    virtual std::vector<UpstreamOffer> index_offers() const = 0;
    // Brings the index files of `scope` into the pool (verified against the
    // top index, reusing pool content with the same sha256) and records them.
    virtual UpstreamIndexes fetch_indexes(Database& database, const Pool& pool, IndexScope scope,
                                          SyncObserver& observer) = 0;
    // Catalogues the packages the fetched index files describe (and what
    // else they carry: advisories, ...), inside the caller's Transaction.
    // Returns every listed package in index order (one listed twice comes twice).
    virtual std::vector<UpstreamPackage> catalogue_packages(Database& database, const UpstreamIndexes& indexes,
                                                            SyncObserver& observer) = 0;
    // Warnings of opening the feed: a top-index signature problem that the
    // `verify:` policy lets pass with a warning.
    virtual const std::vector<std::string>& warnings() const = 0;
    // A package file's own signature against the trust the feed was opened
    // with (verify.gpgcheck): nullopt when it is good. Only called when the
    // feed has a trust with gpgcheck on; Error::internal otherwise.
    // Thread-safe (may run on several threads at once).
    virtual std::optional<SignatureProblem> package_signature_problem(const std::filesystem::path& package_file) const = 0;
};

// The index files of a generated tree, found or generated.
struct GeneratedFile {
    std::string path;           // "repodata/repomd.xml", "repodata/<sha256>-primary.xml.gz"
    std::string metadata_type;  // repomd, primary, filelists, other, group, modules, updateinfo, ...
    PoolFile file;
};

struct GeneratedFiles {
    std::string tree_digest;           // sha256 over the tree's inputs
    std::vector<GeneratedFile> files;  // sorted by path

    const GeneratedFile* find(std::string_view path) const;
};

class PackageFormat {
public:
    virtual ~PackageFormat() = default;
    // The config `type:` and the catalogue `format` value: "rpm".
    virtual std::string_view type() const = 0;

    // The file name of a package it read (UpstreamPackage::file_name), its
    // name for messages, and its download URL against the repository's feed.
    virtual std::string package_file_name(const UpstreamPackage& package) const = 0;
    virtual std::string package_full_name(std::string_view name, const PackageVersion& version,
                                          std::string_view arch) const = 0;
    std::string package_full_name(const UpstreamPackage& package) const {
        return package_full_name(package.name, package.package_version(), package.arch);
    }
    virtual std::string package_url(const UpstreamPackage& package, const RepositoryConfig& repository) const = 0;
    // What its packages call the source package they were built from, for
    // listings: "source rpm".
    virtual std::string_view source_package_label() const = 0;

    // <0, 0, >0 as a sorts before, equal to or after b in this format's version order.
    virtual int compare_versions(const PackageVersion& a, const PackageVersion& b) const = 0;

    // Where a generated repository tree serves a package file
    // ("Packages/n/nginx-...rpm"); nullopt for a file name no generated tree
    // can hold. View trees place packages with the format's rule in
    // core/catalogue/view_placement.h, which must give the same paths: a new
    // format adds its rule there.
    virtual std::optional<std::string> generated_package_path(std::string_view file_name) const = 0;
    // The same for a package a sync read, which may say more than its file
    // name (APT: its component and source package give Debian's pool
    // path). Defaults to the file-name rule.
    virtual std::optional<std::string> generated_package_path(const UpstreamPackage& package) const {
        return generated_package_path(package.file_name());
    }

    // The directory at a tree's root that holds the format's index files:
    // "repodata". In a generated tree it holds the generated ones and
    // nothing else; the daemon keeps a latest tree's previous files in it
    // readable for the grace period.
    virtual std::string_view index_directory() const = 0;
    // The digest of a generated tree's inputs (one pass over its packages).
    virtual std::string generated_tree_digest(Database& database, const TreeContents& contents) const = 0;
    // The recorded files of a digest when complete, nullopt otherwise. Works
    // on a read-only connection.
    virtual std::optional<GeneratedFiles> find_generated_files(Database& database, const std::string& tree_digest) const = 0;
    // Finds or generates, stores and records the index files of a generated
    // tree. `database` must be read-write.
    virtual GeneratedFiles ensure_generated_files(Database& database, const Pool& pool, const TreeContents& contents,
                                                  std::optional<std::string> tree_digest = std::nullopt) const = 0;
};

inline std::string UpstreamPackage::file_name() const { return format->package_file_name(*this); }
inline std::string UpstreamPackage::full_name() const { return format->package_full_name(*this); }
inline std::string UpstreamPackage::url(const RepositoryConfig& repository) const {
    return format->package_url(*this, repository);
}

// The type of a view without members (its empty tree is served in this
// format), as of a repository whose config gives no `type:`.
inline constexpr std::string_view kDefaultPackageFormat = "rpm";

// The format of a config `type:` / catalogue `format` value. Throws
// Error::invalid_input naming the known ones for any other. Defined in
// core/tree/package_formats.cpp, the registry.
const PackageFormat& package_format(std::string_view type);
// The types package_format() knows, for messages: "rpm".
std::string known_package_formats();

// Opens the upstream feed of a repository of `format`: fetches its top
// index (through `downloader`, which must outlive the feed) and, with a
// `trust` (the repository's verify: settings; may be null), checks its
// signature per the policy (UpstreamTrust::check_index: a `fail` throws).
// `trust` must outlive the feed. Defined in core/sync/upstream_feeds.cpp, so
// that only what syncs links the readers.
std::unique_ptr<UpstreamFeed> open_upstream_feed(const PackageFormat& format, Downloader& downloader,
                                                 const RepositoryConfig& repository, const UpstreamTrust* trust);

}  // namespace chantal
