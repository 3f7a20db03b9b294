// Chantal's configuration (design.md §2), loaded from YAML with yaml-cpp.
//
// The schema is the Python Chantal tool's: same key names, so its users can
// bring their files. Keys Python Chantal knows but this implementation does
// not act on (tags, schedule, ...) are accepted with a warning;
// any other key is an error naming the file and line. Every validation error
// is one chantal::Error (invalid_input) "FILE:LINE: message".
//
// Relative paths in a file (storage paths, sqlite:///relative, ssl files,
// include globs) are resolved against that file's directory, so cron jobs and
// systemd units do not depend on the working directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace chantal {

struct ConfigLocation {
    std::filesystem::path file;
    int line = 0;  // 1-based; 0 when unknown
    std::string describe() const;  // "file:line"
};

struct TlsSettings {
    std::optional<std::filesystem::path> ca_bundle;
    std::optional<bool> verify;  // unset: inherit (global default true)
    std::optional<std::filesystem::path> client_cert;
    std::optional<std::filesystem::path> client_key;
    // auth type client_cert with only cert_dir: the entitlement pair is
    // picked from it at each sync (core/download/entitlement_certificate.h).
    std::optional<std::filesystem::path> client_cert_dir;

    // Fields set in `override_with` win over this one's.
    TlsSettings merged_with(const TlsSettings& override_with) const;
};

struct ProxySettings {
    std::string http_proxy;
    std::string https_proxy;
    std::string no_proxy;
    std::string username;  // secret-adjacent: never printed
    std::string password;  // secret: never printed, logged or stored
    bool empty() const { return http_proxy.empty() && https_proxy.empty(); }
};

struct BasicAuth {
    std::string username;
    std::string password;  // secret: never printed, logged or stored
};

// `auth:` of a repository beside basic (BasicAuth) and client_cert (TLS
// files): a bearer token, or extra request headers. Secrets: never
// printed, logged or stored.
struct HttpHeader {
    std::string name;
    std::string value;  // secret
};

struct IncludeExclude {
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    bool empty() const { return include.empty() && exclude.empty(); }
};

// filters.metadata.size_bytes: the package file's size, both bounds inclusive.
struct SizeRange {
    std::optional<std::uint64_t> min;
    std::optional<std::uint64_t> max;
    bool empty() const { return !min && !max; }
};

// filters.metadata.build_time: the package's build time (primary's
// <time build=>), in unix seconds; both bounds inclusive. A date without a
// time is midnight UTC, a datetime without a zone is UTC. last_n_days N
// keeps builds from midnight UTC N days before the day of the sync on.
struct BuildTimeWindow {
    std::optional<std::int64_t> newer_than;
    std::optional<std::int64_t> older_than;
    std::optional<int> last_n_days;
    std::string newer_than_text;  // as written, for messages
    std::string older_than_text;
    bool empty() const { return !newer_than && !older_than && !last_n_days; }
};

// filters.rpm.epochs: integers.
struct EpochLists {
    std::vector<std::uint64_t> include;
    std::vector<std::uint64_t> exclude;
    bool empty() const { return include.empty() && exclude.empty(); }
};

struct RepositoryFilters {
    IncludeExclude patterns;       // regex searched in name and in name-version-release.arch
    IncludeExclude architectures;  // exact arch names
    SizeRange size_bytes;
    BuildTimeWindow build_time;
    // Each entry matches a value it equals or, as a regex, is found in
    // (the rule of `patterns`). A package without the field (no group,
    // license or vendor in primary) passes these filters.
    IncludeExclude groups;
    IncludeExclude licenses;
    IncludeExclude vendors;
    EpochLists epochs;
    bool exclude_source_rpms = false;
    // filters.deb (type apt): a binary package passes when its Priority is
    // listed (priorities) and its Section is listed (sections), compared
    // exactly; a section with an area prefix ("contrib/net") matches by its
    // whole value or by the part after the last '/' ("net"). A package
    // without the field passes, and so does a source package the priorities
    // (Debian's Sources say "Priority: source").
    std::vector<std::string> deb_priorities;
    std::vector<std::string> deb_sections;
    bool only_latest_version = false;
    int only_latest_n_versions = 0;  // 0: keep all versions
    bool empty() const {
        return patterns.empty() && architectures.empty() && size_bytes.empty() && build_time.empty() &&
               !has_rpm_filters() && !has_deb_filters() && !only_latest_version && only_latest_n_versions == 0;
    }
    // filters.rpm / filters.deb: set only for their own repository type.
    bool has_rpm_filters() const {
        return exclude_source_rpms || !groups.empty() || !licenses.empty() || !vendors.empty() || !epochs.empty();
    }
    bool has_deb_filters() const { return !deb_priorities.empty() || !deb_sections.empty(); }
    // True when a filter reads what only the catalogue row holds (build
    // time, group, license, vendor, a Debian section or priority).
    bool needs_package_details() const {
        return !build_time.empty() || !groups.empty() || !licenses.empty() || !vendors.empty() || has_deb_filters();
    }
};

// `retention:`: what latest keeps. mirror: what upstream lists now (after
// the filters). newest_only / keep_last_n: at most 1 / keep_count versions
// per name.arch (as filters.post_processing.only_latest_n_versions).
// keep_all: also every package an earlier sync put in latest that upstream
// no longer lists. Any policy but mirror makes latest a generated tree.
enum class RetentionPolicy { mirror, newest_only, keep_last_n, keep_all };
const char* retention_policy_name(RetentionPolicy policy);

struct RetentionSettings {
    RetentionPolicy policy = RetentionPolicy::mirror;
    int keep_count = 0;  // keep_last_n only: >= 1
    // Versions kept per name.arch by this policy; 0: no bound.
    int versions_kept() const {
        return policy == RetentionPolicy::newest_only ? 1 : policy == RetentionPolicy::keep_last_n ? keep_count : 0;
    }
};

// What a sync does when an upstream signature is missing or invalid.
enum class SignatureProblemAction {
    fail,  // the sync fails; latest stays as it was
    warn,  // the sync goes on, with a warning naming the file and the key
    skip,  // a top index: the sync goes on silently; a package: it is left out (with a warning)
};
const char* signature_problem_action_name(SignatureProblemAction action);

// `verify:` (design.md §2): upstream authenticity, per repository or at top
// level as the default. Key sources as in core/signing/trusted_keys.h.
struct VerifySettings {
    bool repo_gpgcheck = false;  // the top index's detached signature (repomd.xml.asc)
    bool gpgcheck = true;        // each package's own signature, before it enters the pool
    std::vector<std::filesystem::path> key_files;
    std::vector<std::string> keys;                  // inline armored public keys
    std::vector<std::string> trusted_fingerprints;  // as written; empty: every key given counts
    std::optional<std::filesystem::path> gnupg_home;  // its public keys are trusted; only read
    SignatureProblemAction on_missing_signature = SignatureProblemAction::fail;
    SignatureProblemAction on_invalid_signature = SignatureProblemAction::fail;
    // File name at the tree root that serves the trusted keys ("" none);
    // "{repo_id}" is replaced by the repository's id.
    std::string client_key_name;
    ConfigLocation location;
};

// `gpg:` (design.md §2): the key that signs generated trees, per repository,
// per view or at top level as the default. Secrets are never printed.
struct SigningSettings {
    std::optional<std::filesystem::path> key_file;
    std::string key_id;
    std::optional<std::filesystem::path> gnupg_home;
    std::optional<std::string> passphrase;  // secret: never printed, logged or stored
    std::optional<std::filesystem::path> passphrase_file;
    std::optional<std::filesystem::path> public_key_file;
    std::string public_key_name = "RPM-GPG-KEY-chantal";  // at the tree root
    bool generate_key = false;
    std::string key_name = "Chantal repository signing key";
    std::string key_email;
    ConfigLocation location;
};

// `metadata.compression`: how a generated tree's repodata files are
// compressed. automatic is gzip, which every yum and dnf reads.
enum class MetadataCompression { automatic, gzip, zstandard, bzip2, none };
const char* metadata_compression_name(MetadataCompression compression);  // "auto", "gzip", ...

// mirror: upstream as it is; filtered: a selection of upstream (a generated
// tree); hosted: no upstream (no feed), filled by `chantal package upload`
// (a generated tree).
enum class RepositoryMode { mirror, filtered, hosted };
const char* repository_mode_name(RepositoryMode mode);

// `apt:` of a `type: apt` repository (design.md §2): which suite,
// components and architectures of the upstream archive a sync takes.
struct AptSettings {
    std::string distribution;                 // the suite under dists/ ("bookworm"); "" for a flat repository
    std::vector<std::string> components = {"main"};
    std::vector<std::string> architectures = {"amd64"};  // binary-<arch> indexes; "all" is listed in each
    bool include_source_packages = false;     // <component>/source/Sources and the files it lists
    bool include_contents = false;            // Contents-<arch> indexes (mirror trees)
    bool include_translations = false;        // <component>/i18n/ (mirror trees)
    // Serve by-hash/SHA256/ copies of the indexes: in a mirror tree when
    // upstream sets Acquire-By-Hash; in a generated tree always (its Release
    // then says Acquire-By-Hash: yes).
    bool by_hash = true;
    bool flat_repository = false;             // Release and Packages at the feed root (`deb URL ./`)
    bool check_valid_until = true;            // false: an expired Valid-Until is accepted (apt's check-valid-until=no)
    // Generated trees (filtered): the Release's fields. suite and codename
    // default to distribution ("stable" for a flat upstream), origin to
    // "Chantal", label to the repository id.
    std::string suite;
    std::string codename;
    std::string origin;
    std::string label;
    bool not_automatic = false;           // NotAutomatic: yes (apt pins the suite at priority 1)
    bool but_automatic_upgrades = false;  // ButAutomaticUpgrades: yes; only with not_automatic
    std::optional<int> valid_until_days;  // Valid-Until: Date + N days; nullopt: no Valid-Until
};

struct RepositoryConfig {
    std::string id;
    std::string name;  // defaults to id
    std::string type = "rpm";  // "rpm" or "apt"
    std::string feed;  // http://, https:// or file:// URL of the repo root (repodata/ or dists/ below it); "" when hosted
    bool enabled = true;
    RepositoryMode mode = RepositoryMode::mirror;
    RepositoryFilters filters;
    TlsSettings tls;  // per-repo override of the global ssl: section
    std::optional<ProxySettings> proxy;
    std::optional<BasicAuth> basic_auth;
    std::optional<std::string> bearer_token;  // secret
    std::vector<HttpHeader> headers;          // auth type custom
    RetentionSettings retention;
    // The effective settings (the repository's own, else the top level's;
    // `enabled: false` in either gives none).
    std::optional<VerifySettings> verify;
    std::optional<SigningSettings> signing;
    // The repository's own `metadata.compression`, else the top level's.
    MetadataCompression metadata_compression = MetadataCompression::automatic;
    AptSettings apt;  // type apt only
    ConfigLocation location;
};

// The names a generated APT tree's Release gives (a view's `apt:`).
struct AptReleaseNames {
    std::string suite;     // dists/<suite>/
    std::string codename;
    std::string origin;
    std::string label;
};

struct ViewConfig {
    std::string name;
    std::string description;
    std::vector<std::string> repos;  // repo ids, in priority order
    std::optional<SigningSettings> signing;  // the view's own `gpg:`, else the top level's
    AptReleaseNames apt_release;     // a view of APT repositories: its `apt:`, each name defaulting to the view's
    ConfigLocation location;
};

struct StorageSettings {
    std::filesystem::path base_path = "/var/lib/chantal";
    std::filesystem::path pool_path;       // default <base_path>/pool
    std::filesystem::path published_path;  // default <base_path>/published
    std::filesystem::path temp_path;       // default <base_path>/tmp
    // Seconds the files of a moved `latest` (the previous repomd.xml's
    // repodata, removed packages) stay readable by name in every mount and
    // are kept by pool cleanup (retired_files.h).
    int metadata_grace_period = 600;
};

struct DownloadSettings {
    int parallel = 8;         // concurrent transfers
    int timeout_seconds = 60; // seconds without progress before a transfer is retried
    int retry_attempts = 3;
};

struct Config {
    std::filesystem::path file;            // the main config file
    std::string database_url;              // as written
    std::filesystem::path database_path;   // resolved SQLite file
    StorageSettings storage;
    DownloadSettings download;
    ProxySettings proxy;
    TlsSettings tls;
    std::optional<VerifySettings> verify;    // the top-level default
    std::optional<SigningSettings> signing;  // the top-level default
    MetadataCompression metadata_compression = MetadataCompression::automatic;  // the top level's; views use it
    std::vector<RepositoryConfig> repositories;
    std::vector<ViewConfig> views;
    std::vector<std::string> warnings;     // "file:line: key 'tags' is accepted but not used"

    const RepositoryConfig* find_repository(const std::string& id) const;
    const ViewConfig* find_view(const std::string& name) const;
    // Throws Error::not_found "unknown repository 'ID' (not in FILE)".
    const RepositoryConfig& repository(const std::string& id) const;
    const ViewConfig& view(const std::string& name) const;
};

// Loads and validates a config file (with its includes). Throws chantal::Error.
Config load_config(const std::filesystem::path& file);

// The discovery order of design.md §2: explicit path, $CHANTAL_CONFIG,
// /etc/chantal/config.yaml, ~/.config/chantal/config.yaml, ./config.yaml.
// Returns the first that exists (an explicit path or $CHANTAL_CONFIG must
// exist); throws Error::not_found listing what was tried.
std::filesystem::path discover_config_file(const std::optional<std::filesystem::path>& explicit_file);

}  // namespace chantal
