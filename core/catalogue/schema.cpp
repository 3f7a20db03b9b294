#include "core/catalogue/schema.h"

#include <array>

namespace chantal {
namespace {

// v1: repositories, content (pool files) with per-package metadata, latest
// membership, snapshots, views, view snapshots, sync history and generated
// metadata records.
constexpr std::string_view kSchemaVersion1 = R"sql(
CREATE TABLE repositories (
    id                   INTEGER PRIMARY KEY,
    repo_id              TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    feed                 TEXT NOT NULL,
    mode                 TEXT NOT NULL CHECK (mode IN ('mirror', 'filtered')),
    created_at           INTEGER NOT NULL,           -- unix seconds
    latest_changed_at    INTEGER,                    -- when latest membership last switched
    last_sync_at         INTEGER,                    -- last successful sync (also "up to date")
    last_repomd_sha256   TEXT,                       -- upstream repomd.xml of the last successful sync
    last_sync_key        TEXT,                       -- repomd sha256 + mode + filters: equal means "up to date"
    generated_tree       INTEGER NOT NULL DEFAULT 0  -- 1: latest is served as a generated tree
);

-- One row per pool file: <pool>/<sha256[0:2]>/<sha256[2:4]>/<sha256>_<filename>.
CREATE TABLE content_items (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    filename    TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    kind        TEXT NOT NULL CHECK (kind IN ('package', 'metadata')),
    added_at    INTEGER NOT NULL
);
-- Looking a package up by file name (a view tree's Packages/x/<file>, package show).
CREATE INDEX content_items_by_filename ON content_items(filename);

-- One row per upstream package (keyed by its pkgid), catalogued from primary,
-- filelists and other before the file is downloaded; content_id is set once
-- the file is in the pool. The *_xml columns hold upstream's per-package
-- elements so that nothing upstream wrote is lost (table package_metadata
-- from v5 on).
CREATE TABLE packages (
    id              INTEGER PRIMARY KEY,
    checksum_type   TEXT NOT NULL,     -- upstream pkgid type (sha1, sha256, ...)
    checksum        TEXT NOT NULL,     -- upstream pkgid (lowercase hex)
    content_id      INTEGER REFERENCES content_items(id),
    name            TEXT NOT NULL,
    epoch           INTEGER NOT NULL DEFAULT 0,
    version         TEXT NOT NULL,
    release         TEXT NOT NULL,
    arch            TEXT NOT NULL,
    size_package    INTEGER NOT NULL DEFAULT 0,
    size_installed  INTEGER NOT NULL DEFAULT 0,
    size_archive    INTEGER NOT NULL DEFAULT 0,
    time_build      INTEGER NOT NULL DEFAULT 0,
    time_file       INTEGER NOT NULL DEFAULT 0,
    sourcerpm       TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    license         TEXT NOT NULL DEFAULT '',
    vendor          TEXT NOT NULL DEFAULT '',
    package_group   TEXT NOT NULL DEFAULT '',
    location_href   TEXT NOT NULL,     -- as upstream wrote it (data, never a local path)
    primary_xml     BLOB NOT NULL,
    filelists_xml   BLOB,
    other_xml       BLOB,
    UNIQUE (checksum_type, checksum)
);
CREATE INDEX packages_by_name ON packages(name, arch);
CREATE INDEX packages_by_content ON packages(content_id);

-- A repository's latest state: every file of its tree at its tree path.
CREATE TABLE repository_contents (
    repository_id  INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    path           TEXT NOT NULL,        -- relative tree path (upstream href for packages)
    content_id     INTEGER NOT NULL REFERENCES content_items(id),
    package_id     INTEGER REFERENCES packages(id),   -- set exactly for role 'package'
    role           TEXT NOT NULL CHECK (role IN ('package', 'metadata')),
    metadata_type  TEXT,                 -- repomd, primary, ..., repomd_signature, repomd_key
    CHECK ((role = 'package') = (package_id IS NOT NULL)),
    PRIMARY KEY (repository_id, path)
) WITHOUT ROWID;
CREATE INDEX repository_contents_by_content ON repository_contents(content_id);
CREATE INDEX repository_contents_by_package ON repository_contents(package_id);

CREATE TABLE snapshots (
    id                 INTEGER PRIMARY KEY,
    repository_id      INTEGER NOT NULL REFERENCES repositories(id),
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    generated_tree     INTEGER NOT NULL DEFAULT 0,
    repomd_sha256      TEXT,
    UNIQUE (repository_id, name)
);

CREATE TABLE snapshot_contents (
    snapshot_id    INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    content_id     INTEGER NOT NULL REFERENCES content_items(id),
    package_id     INTEGER REFERENCES packages(id),   -- set exactly for role 'package'
    role           TEXT NOT NULL CHECK (role IN ('package', 'metadata')),
    metadata_type  TEXT,
    CHECK ((role = 'package') = (package_id IS NOT NULL)),
    PRIMARY KEY (snapshot_id, path)
) WITHOUT ROWID;
CREATE INDEX snapshot_contents_by_content ON snapshot_contents(content_id);

CREATE TABLE views (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    configured   INTEGER NOT NULL DEFAULT 1   -- 0: removed from config, kept for its snapshots
);

CREATE TABLE view_members (
    view_id        INTEGER NOT NULL REFERENCES views(id) ON DELETE CASCADE,
    repository_id  INTEGER NOT NULL REFERENCES repositories(id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (view_id, repository_id)
) WITHOUT ROWID;

CREATE TABLE view_snapshots (
    id           INTEGER PRIMARY KEY,
    view_id      INTEGER NOT NULL REFERENCES views(id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (view_id, name)
);

CREATE TABLE view_snapshot_members (
    view_snapshot_id  INTEGER NOT NULL REFERENCES view_snapshots(id) ON DELETE CASCADE,
    snapshot_id       INTEGER NOT NULL REFERENCES snapshots(id),
    position          INTEGER NOT NULL,
    PRIMARY KEY (view_snapshot_id, snapshot_id)
) WITHOUT ROWID;

CREATE TABLE sync_history (
    id                  INTEGER PRIMARY KEY,
    repository_id       INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    started_at          INTEGER NOT NULL,
    finished_at         INTEGER,
    status              TEXT NOT NULL CHECK (status IN ('running', 'success', 'up_to_date', 'failed')),
    packages_added      INTEGER NOT NULL DEFAULT 0,
    packages_removed    INTEGER NOT NULL DEFAULT 0,
    packages_unchanged  INTEGER NOT NULL DEFAULT 0,
    files_downloaded    INTEGER NOT NULL DEFAULT 0,
    bytes_downloaded    INTEGER NOT NULL DEFAULT 0,
    repomd_sha256       TEXT,
    message             TEXT NOT NULL DEFAULT ''   -- never contains credentials
);
CREATE INDEX sync_history_by_repository ON sync_history(repository_id, started_at);

-- Advisories (errata) from upstream updateinfo files. One row per revision
-- of an advisory (same id, different <update> element); each updateinfo file
-- in the pool links the revisions it holds. A tree's advisories come from the
-- updateinfo files among its metadata rows, so snapshots never change.
CREATE TABLE advisories (
    id           INTEGER PRIMARY KEY,
    advisory_id  TEXT NOT NULL,            -- e.g. RHSA-2025:1234
    xml_sha256   TEXT NOT NULL,            -- of update_xml: identifies the revision
    type         TEXT NOT NULL DEFAULT '', -- security, bugfix, enhancement, newpackage
    severity     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    issued       TEXT NOT NULL DEFAULT '', -- as upstream wrote it, "YYYY-MM-DD[ HH:MM:SS]"
    updated      TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    update_xml   BLOB NOT NULL,            -- the <update> element (fragment)
    UNIQUE (advisory_id, xml_sha256)
);
CREATE INDEX advisories_by_id ON advisories(advisory_id);

CREATE TABLE advisory_references (
    advisory_row  INTEGER NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    type          TEXT NOT NULL DEFAULT '',   -- cve, bugzilla, self, ...
    reference_id  TEXT NOT NULL DEFAULT '',   -- CVE-2025-1234, bug number, ...
    href          TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX advisory_references_by_advisory ON advisory_references(advisory_row);
CREATE INDEX advisory_references_by_reference ON advisory_references(reference_id);

CREATE TABLE advisory_packages (
    advisory_row  INTEGER NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    epoch         INTEGER NOT NULL DEFAULT 0,
    version       TEXT NOT NULL,
    release       TEXT NOT NULL,
    arch          TEXT NOT NULL,
    filename      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX advisory_packages_by_advisory ON advisory_packages(advisory_row);

CREATE TABLE updateinfo_advisories (
    content_id    INTEGER NOT NULL REFERENCES content_items(id),
    advisory_row  INTEGER NOT NULL REFERENCES advisories(id),
    PRIMARY KEY (content_id, advisory_row)
) WITHOUT ROWID;

-- Repodata generated for a tree, keyed by a digest of the tree's inputs, so
-- mounts, publish and export reuse the same bytes.
CREATE TABLE generated_metadata (
    tree_digest    TEXT NOT NULL,
    metadata_type  TEXT NOT NULL,     -- repomd, primary, filelists, other, updateinfo, group, modules
    path           TEXT NOT NULL,     -- repodata/<sha256>-primary.xml.gz
    content_id     INTEGER NOT NULL REFERENCES content_items(id),
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (tree_digest, metadata_type)
) WITHOUT ROWID;
CREATE INDEX generated_metadata_by_content ON generated_metadata(content_id);
)sql";

// v2: files of a `latest` tree's previous states. When a sync switches a
// repo's latest, every file that leaves the tree (its path no longer names
// the same content) is recorded here with the time it left, in the same
// transaction. Mounts keep serving such files by name, and pool cleanup keeps
// them, until storage.metadata_grace_period has passed; expired rows are
// deleted by the next sync of the repo and by pool cleanup.
constexpr std::string_view kSchemaVersion2 = R"sql(
CREATE TABLE retired_tree_files (
    tree_path   TEXT NOT NULL,     -- "repos/ID/latest"
    path        TEXT NOT NULL,     -- path inside that tree: "repodata/<sha256>-primary.xml.gz"
    content_id  INTEGER NOT NULL REFERENCES content_items(id),
    retired_at  INTEGER NOT NULL,  -- unix seconds: when the file left the tree
    PRIMARY KEY (tree_path, path, content_id)
) WITHOUT ROWID;
CREATE INDEX retired_tree_files_by_content ON retired_tree_files(content_id);
CREATE INDEX retired_tree_files_by_time ON retired_tree_files(retired_at);
)sql";

// v3: the package format (core/tree/package_format.h) of each repository
// and of each catalogued package. Every row written before is an RPM one.
constexpr std::string_view kSchemaVersion3 = R"sql(
ALTER TABLE repositories ADD COLUMN format TEXT NOT NULL DEFAULT 'rpm';  -- config type: rpm, ...
ALTER TABLE packages ADD COLUMN format TEXT NOT NULL DEFAULT 'rpm';      -- the format that catalogued it
)sql";

// v4: which trusted keys checked the package signatures of a repository's
// latest (verify.gpgcheck; core/signing/upstream_trust.h), so that a sync
// re-checks every package after the keys or the setting change.
constexpr std::string_view kSchemaVersion4 = R"sql(
ALTER TABLE repositories ADD COLUMN packages_verified_by TEXT;  -- sha256 of the keys' fingerprints; NULL: unchecked
)sql";

// v5: upstream's per-package XML leaves `packages` for a table of its own,
// read only when repodata is generated or a package is shown. Membership
// inserts (snapshots), diffs and listings then read narrow package rows
// (about 200 bytes instead of several KB per package).
constexpr std::string_view kSchemaVersion5 = R"sql(
CREATE TABLE package_metadata (
    package_id     INTEGER PRIMARY KEY REFERENCES packages(id) ON DELETE CASCADE,
    primary_xml    BLOB NOT NULL,     -- upstream's <package> element of primary
    filelists_xml  BLOB,              -- ... of filelists; NULL until catalogued
    other_xml      BLOB               -- ... of other (changelogs); NULL until catalogued
);
INSERT INTO package_metadata (package_id, primary_xml, filelists_xml, other_xml)
    SELECT id, primary_xml, filelists_xml, other_xml FROM packages;
ALTER TABLE packages DROP COLUMN primary_xml;
ALTER TABLE packages DROP COLUMN filelists_xml;
ALTER TABLE packages DROP COLUMN other_xml;
)sql";

// v6: a repository's mode may be 'hosted' (no upstream; filled by package
// upload). SQLite cannot alter a CHECK constraint, and rebuilding the table
// would cascade deletes into every table that references it; so the
// constraint's text is replaced in place, as SQLite's documentation
// describes for loosening a constraint ("Making Other Kinds Of Table Schema
// Changes"): every existing row satisfies the new one. The RESET reloads the
// schema on this connection; the table created and dropped after it moves
// the schema cookie so that every other connection reloads it too.
constexpr std::string_view kSchemaVersion6 = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (mode IN (''mirror'', ''filtered''))',
                     'CHECK (mode IN (''mirror'', ''filtered'', ''hosted''))')
 WHERE type = 'table' AND name = 'repositories';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload (unused INTEGER);
DROP TABLE schema_reload;
)sql";

// v7: the generated index files each `latest` tree served last (their tree
// digest): when latest moves, the files of that digest that leave the tree
// are retired (retired_tree_files), so every mount serves them for the
// grace period, as it does a mirror tree's previous repodata.
constexpr std::string_view kSchemaVersion7 = R"sql(
CREATE TABLE latest_generated_digests (
    tree_path    TEXT PRIMARY KEY,  -- "repos/ID/latest", "views/V/latest"
    tree_digest  TEXT NOT NULL,     -- generated_metadata.tree_digest it serves
    recorded_at  INTEGER NOT NULL   -- unix seconds
) WITHOUT ROWID;
)sql";

constexpr std::array kMigrations{
    Migration{1, kSchemaVersion1, "initial tables"},
    Migration{2, kSchemaVersion2, "retired latest files"},
    Migration{3, kSchemaVersion3, "package format column"},
    Migration{4, kSchemaVersion4, "package signature check record"},
    Migration{5, kSchemaVersion5, "package metadata table"},
    Migration{6, kSchemaVersion6, "hosted repository mode"},
    Migration{7, kSchemaVersion7, "generated files of latest trees"},
};

}  // namespace

std::span<const Migration> catalogue_migrations() { return kMigrations; }

}  // namespace chantal
