// The config file's key tables (config_keys.h). Each section is a
// function-local static, built on first use, so sections may refer to each
// other in any order.
#include "core/config/config_keys.h"

namespace chantal {
namespace {

using Type = ConfigKeyType;
using Status = ConfigKeyStatus;

constexpr std::string_view kUnused = "Accepted for compatibility with Python Chantal; has no effect (a warning says so).";

ConfigKey unused(std::string_view name) {
    return {.name = name, .type = Type::any, .description = kUnused, .status = Status::accepted_unused};
}

const ConfigSection& include_exclude_section() {
    static const ConfigSection section{
        "include/exclude", "Values to keep and values to leave out.",
        {{.name = "include", .type = Type::string_list, .description = "Keep only what matches one of these."},
         {.name = "exclude", .type = Type::string_list, .description = "Leave out what matches one of these."}}};
    return section;
}

const ConfigSection& epochs_section() {
    static const ConfigSection section{
        "epochs", "Package epochs (0 when a package has none).",
        {{.name = "include", .type = Type::unsigned_list, .description = "Keep only packages with one of these epochs."},
         {.name = "exclude", .type = Type::unsigned_list, .description = "Leave out packages with one of these epochs."}}};
    return section;
}

const ConfigSection& size_section() {
    static const ConfigSection section{
        "size_bytes", "The package file's size in bytes, both bounds inclusive.",
        {{.name = "min", .type = Type::unsigned_integer, .description = "Smallest size kept."},
         {.name = "max", .type = Type::unsigned_integer, .description = "Largest size kept."}}};
    return section;
}

const ConfigSection& build_time_section() {
    static const ConfigSection section{
        "build_time", "The package's build time; a date is midnight UTC, a datetime without a zone is UTC.",
        {{.name = "newer_than", .description = "Keep builds at or after this date (YYYY-MM-DD) or datetime."},
         {.name = "older_than", .description = "Keep builds at or before this date (YYYY-MM-DD) or datetime."},
         {.name = "last_n_days",
          .type = Type::integer,
          .description = "Keep builds from midnight UTC N days before the day of the sync on.",
          .minimum = 1,
          .maximum = 100000}}};
    return section;
}

const ConfigSection& filter_metadata_section() {
    static const ConfigSection section{
        "filters.metadata", "Filters on fields every package format has.",
        {{.name = "architectures",
          .type = Type::mapping,
          .description = "Architecture names, compared exactly.",
          .section = &include_exclude_section()},
         {.name = "size_bytes", .type = Type::mapping, .description = "File size bounds.", .section = &size_section()},
         {.name = "build_time", .type = Type::mapping, .description = "Build time window.", .section = &build_time_section()}}};
    return section;
}

const ConfigSection& filter_rpm_section() {
    static const ConfigSection section{
        "filters.rpm", "Filters on RPM header fields; a package without the field passes.",
        {{.name = "exclude_source_rpms",
          .type = Type::boolean,
          .description = "Leave out src and nosrc packages.",
          .default_value = "false"},
         {.name = "groups", .type = Type::mapping, .description = "Groups: equal or regex found.", .section = &include_exclude_section()},
         {.name = "licenses", .type = Type::mapping, .description = "Licenses: equal or regex found.", .section = &include_exclude_section()},
         {.name = "vendors", .type = Type::mapping, .description = "Vendors: equal or regex found.", .section = &include_exclude_section()},
         {.name = "epochs", .type = Type::mapping, .description = "Epochs.", .section = &epochs_section()}}};
    return section;
}

const ConfigSection& filter_deb_section() {
    static const ConfigSection section{
        "filters.deb", "Filters on Debian package fields (type apt); a package without the field passes.",
        {{.name = "priorities",
          .type = Type::string_list,
          .description = "Keep only binary packages with one of these Priority values (required, important, "
                         "standard, optional, extra)."},
         {.name = "sections",
          .type = Type::string_list,
          .description = "Keep only packages with one of these Section values; "
                         "\"contrib/net\" is also kept by \"net\"."}}};
    return section;
}

const ConfigSection& post_processing_section() {
    static const ConfigSection section{
        "filters.post_processing", "Applied after the other filters, per name.arch in RPM version order.",
        {{.name = "only_latest_version",
          .type = Type::boolean,
          .description = "Keep only the newest version.",
          .default_value = "false"},
         {.name = "only_latest_n_versions",
          .type = Type::integer,
          .description = "Keep the newest N versions.",
          .minimum = 1,
          .maximum = 100000}}};
    return section;
}

// Python Chantal's flat filter keys, in `filters:` and in a repository.
std::vector<ConfigKey> legacy_filter_keys() {
    const auto legacy = [](std::string_view name, std::string_view replacement) {
        return ConfigKey{.name = name,
                         .type = Type::string_list,
                         .description = "Deprecated: read as its replacement, with a warning.",
                         .status = Status::deprecated,
                         .replacement = replacement};
    };
    return {legacy("include_packages", "filters.patterns.include"),
            legacy("exclude_packages", "filters.patterns.exclude"),
            legacy("include_architectures", "filters.metadata.architectures.include"),
            legacy("exclude_architectures", "filters.metadata.architectures.exclude")};
}

const ConfigSection& filters_section() {
    static const ConfigSection section = [] {
        ConfigSection built{
            "filters", "Which upstream packages latest holds; filters make a repository mode filtered.",
            {{.name = "patterns",
              .type = Type::mapping,
              .description = "PCRE regexes searched in the name and in name-version-release.arch.",
              .section = &include_exclude_section()},
             {.name = "metadata", .type = Type::mapping, .description = "Format-neutral filters.", .section = &filter_metadata_section()},
             {.name = "rpm", .type = Type::mapping, .description = "RPM filters.", .section = &filter_rpm_section()},
             {.name = "deb", .type = Type::mapping, .description = "Debian filters.", .section = &filter_deb_section()},
             {.name = "post_processing",
              .type = Type::mapping,
              .description = "Newest versions per name.arch.",
              .section = &post_processing_section()}}};
        for (auto& key : legacy_filter_keys()) built.keys.push_back(key);
        return built;
    }();
    return section;
}

const ConfigSection& ssl_section() {
    static const ConfigSection section{
        "ssl", "TLS settings; a repository's own override the top level's.",
        {{.name = "ca_bundle", .description = "PEM file of the certificate authorities to trust."},
         {.name = "verify", .type = Type::boolean, .description = "Verify the server's certificate.", .default_value = "true"},
         {.name = "client_cert", .description = "PEM client certificate (entitlement certificate)."},
         {.name = "client_key", .description = "PEM key of the client certificate."},
         unused("ca_cert")}};
    return section;
}

const ConfigSection& proxy_section() {
    static const ConfigSection section{
        "proxy", "HTTP proxy; a repository's own replaces the top level's.",
        {{.name = "http_proxy", .description = "Proxy URL for http:// feeds."},
         {.name = "https_proxy", .description = "Proxy URL for https:// feeds."},
         {.name = "no_proxy", .description = "Comma-separated hosts reached directly."},
         {.name = "username", .description = "Proxy user name."},
         {.name = "password", .description = "Proxy password (never printed)."}}};
    return section;
}

const ConfigSection& verify_section() {
    static const std::vector<std::string_view> actions{"fail", "warn", "skip"};
    static const ConfigSection section{
        "verify", "Upstream authenticity: a repository's own, else the top level's.",
        {{.name = "enabled", .type = Type::boolean, .description = "false: verify nothing.", .default_value = "true"},
         {.name = "repo_gpgcheck",
          .type = Type::boolean,
          .description = "Check repomd.xml.asc, the top index's detached signature.",
          .default_value = "false"},
         {.name = "gpgcheck",
          .type = Type::boolean,
          .description = "Check each package's own signature before it enters the pool.",
          .default_value = "true"},
         {.name = "key_files", .type = Type::string_list, .description = "Files of the public keys to trust."},
         {.name = "keys", .type = Type::string_list, .description = "Armored public keys to trust."},
         {.name = "trusted_fingerprints",
          .type = Type::string_list,
          .description = "Pin these fingerprints; empty: every key given counts."},
         {.name = "gnupg_home", .description = "A GnuPG home whose public keys are trusted (only read)."},
         {.name = "on_missing_signature",
          .description = "What a missing signature does.",
          .default_value = "fail",
          .allowed = actions},
         {.name = "on_invalid_signature",
          .description = "What an invalid signature does.",
          .default_value = "fail",
          .allowed = actions},
         {.name = "client_key_name",
          .description = "File name at the tree root serving the trusted keys; {repo_id} is replaced."}}};
    return section;
}

const ConfigSection& gpg_section() {
    static const ConfigSection section{
        "gpg", "The key that signs generated trees: a repository's or view's own, else the top level's.",
        {{.name = "enabled", .type = Type::boolean, .description = "false: do not sign.", .default_value = "true"},
         {.name = "key_file", .description = "Armored secret key file."},
         {.name = "key_id", .description = "Key id or fingerprint in gnupg_home."},
         {.name = "gnupg_home", .description = "GnuPG home holding the key."},
         {.name = "passphrase", .description = "The key's passphrase (never printed)."},
         {.name = "passphrase_file", .description = "File holding the key's passphrase."},
         {.name = "public_key_file", .description = "Armored public key to serve instead of the one exported."},
         {.name = "public_key_name",
          .description = "File name of the public key at the tree root.",
          .default_value = "RPM-GPG-KEY-chantal"},
         {.name = "generate_key",
          .type = Type::boolean,
          .description = "Create the key on first use.",
          .default_value = "false"},
         {.name = "key_name", .description = "Name of a generated key.", .default_value = "Chantal repository signing key"},
         {.name = "key_email", .description = "E-mail address of a generated key."}}};
    return section;
}

const ConfigSection& auth_section() {
    static const ConfigSection section{
        "auth", "How the feed is reached; secrets are never printed.",
        {{.name = "type",
          .description = "The kind of authentication.",
          .allowed = {"basic", "bearer", "custom", "client_cert"},
          .required = true},
         {.name = "username", .description = "basic: user name."},
         {.name = "password", .description = "basic: password."},
         {.name = "token", .description = "bearer: the token."},
         {.name = "headers", .type = Type::string_map, .description = "custom: request headers by name."},
         {.name = "cert_dir", .description = "client_cert: directory with NUMBER.pem and NUMBER-key.pem."},
         {.name = "cert_file", .description = "client_cert: certificate file (in cert_dir when given)."},
         {.name = "key_file", .description = "client_cert: key file (with cert_file)."},
         {.name = "verify_ssl", .type = Type::boolean, .description = "Verify the server's certificate."},
         {.name = "ca_bundle", .description = "PEM file of the certificate authorities to trust."}}};
    return section;
}

const ConfigSection& retention_section() {
    static const ConfigSection section{
        "retention", "What latest keeps; any policy but mirror makes the repository mode filtered.",
        {{.name = "policy",
          .description = "mirror: what upstream lists; newest-only / keep-last-n: versions per name.arch; "
                         "keep-all: also what upstream removed.",
          .default_value = "mirror",
          .allowed = {"mirror", "newest-only", "keep-last-n", "keep-all"}},
         {.name = "keep_count",
          .type = Type::integer,
          .description = "keep-last-n: versions kept per name.arch.",
          .minimum = 1,
          .maximum = 100000}}};
    return section;
}

const ConfigSection& metadata_section() {
    static const ConfigSection section{
        "metadata", "Index files of generated trees: a repository's own, else the top level's (views use the top level's).",
        {{.name = "compression",
          .description = "Compression of generated repodata; auto is gzip.",
          .default_value = "auto",
          .allowed = {"auto", "gzip", "zstandard", "bzip2", "none"}}}};
    return section;
}

const ConfigSection& apt_section() {
    static const ConfigSection section{
        "apt", "What a type apt repository takes from its upstream archive.",
        {{.name = "distribution",
          .description = "The suite under dists/ (bookworm, jammy-updates, stable); required unless flat_repository."},
         {.name = "components", .type = Type::string_list, .description = "Components to take.", .default_value = "[main]"},
         {.name = "architectures",
          .type = Type::string_list,
          .description = "binary-<arch> indexes to take (Architecture: all packages are listed in each).",
          .default_value = "[amd64]"},
         {.name = "include_source_packages",
          .type = Type::boolean,
          .description = "Also Sources and the .dsc, .orig and .debian files it lists.",
          .default_value = "false"},
         {.name = "include_contents", .type = Type::boolean, .description = "Also Contents-<arch> indexes.", .default_value = "false"},
         {.name = "include_translations", .type = Type::boolean, .description = "Also i18n/ Translation indexes.", .default_value = "false"},
         {.name = "by_hash",
          .type = Type::boolean,
          .description = "Serve by-hash/SHA256/ copies of the indexes (mirror trees: when upstream sets "
                         "Acquire-By-Hash; generated trees: with Acquire-By-Hash: yes in their Release).",
          .default_value = "true"},
         {.name = "flat_repository",
          .type = Type::boolean,
          .description = "Release and Packages at the feed root (`deb URL ./`); no distribution or components.",
          .default_value = "false"},
         {.name = "check_valid_until",
          .type = Type::boolean,
          .description = "false: accept a Release whose Valid-Until has passed (apt's check-valid-until=no).",
          .default_value = "true"},
         {.name = "suite",
          .description = "Generated trees: the suite clients name (dists/<suite>/); default distribution."},
         {.name = "codename", .description = "Generated trees: the Release's Codename; default the suite."},
         {.name = "origin", .description = "Generated trees: the Release's Origin.", .default_value = "Chantal"},
         {.name = "label", .description = "Generated trees: the Release's Label; default the repository id."},
         {.name = "not_automatic",
          .type = Type::boolean,
          .description = "Generated trees: NotAutomatic: yes in the Release (apt gives the suite priority 1).",
          .default_value = "false"},
         {.name = "but_automatic_upgrades",
          .type = Type::boolean,
          .description = "Generated trees: ButAutomaticUpgrades: yes (with not_automatic: priority 100, upgrades "
                         "of installed packages).",
          .default_value = "false"},
         {.name = "valid_until_days",
          .type = Type::integer,
          .description = "Generated trees: Valid-Until N days after the Release's Date (the tree's change time).",
          .minimum = 1,
          .maximum = 100000}}};
    return section;
}

const ConfigSection& repository_section() {
    static const ConfigSection section = [] {
        ConfigSection built{
            "repository", "One upstream repository.",
            {{.name = "id",
              .description = "Letters, digits, '.', '-' and '_'; appears in tree paths.",
              .required = true},
             {.name = "name", .description = "Display name; defaults to id."},
             {.name = "type", .description = "Package format.", .default_value = "rpm", .allowed = {"rpm", "apt"}},
             {.name = "feed",
              .description = "http://, https:// or file:// URL of the repository root; required unless mode is hosted "
                             "(which takes none)."},
             {.name = "enabled", .type = Type::boolean, .description = "Included in repo sync --all.", .default_value = "true"},
             {.name = "mode",
              .description = "mirror: exactly upstream (default without filters); filtered: implied by filters; "
                             "hosted: no feed, filled by `chantal package upload`.",
              .allowed = {"mirror", "filtered", "hosted"}},
             {.name = "filters", .type = Type::mapping, .description = "Package selection.", .section = &filters_section()},
             {.name = "ssl", .type = Type::mapping, .description = "TLS override.", .section = &ssl_section()},
             {.name = "proxy", .type = Type::mapping, .description = "Proxy override.", .section = &proxy_section()},
             {.name = "auth", .type = Type::mapping, .description = "Authentication.", .section = &auth_section()},
             {.name = "verify", .type = Type::mapping, .description = "Upstream signature checks.", .section = &verify_section()},
             {.name = "gpg", .type = Type::mapping, .description = "Signing key of generated trees.", .section = &gpg_section()},
             {.name = "retention", .type = Type::mapping, .description = "What latest keeps.", .section = &retention_section()},
             {.name = "metadata", .type = Type::mapping, .description = "Generated index files.", .section = &metadata_section()},
             {.name = "apt", .type = Type::mapping, .description = "APT archive selection (type apt).", .section = &apt_section()},
             unused("tags"),
             unused("schedule"),
             unused("latest_path"),
             unused("snapshots_path"),
             unused("apk")}};
        for (auto& key : legacy_filter_keys()) built.keys.push_back(key);
        return built;
    }();
    return section;
}

const ConfigSection& view_apt_section() {
    static const ConfigSection section{
        "view apt", "The Release of a view of APT repositories.",
        {{.name = "suite", .description = "The suite clients name (dists/<suite>/); default the view's name."},
         {.name = "codename", .description = "The Release's Codename; default the suite."},
         {.name = "origin", .description = "The Release's Origin.", .default_value = "Chantal"},
         {.name = "label", .description = "The Release's Label; default the view's name."}}};
    return section;
}

const ConfigSection& view_section() {
    static const ConfigSection section{
        "view", "Repositories of one type served as one generated tree.",
        {{.name = "name", .description = "Letters, digits, '.', '-' and '_'; not 'latest'.", .required = true},
         {.name = "description", .description = "Free text."},
         {.name = "repos",
          .type = Type::string_list,
          .description = "Repository ids in priority order (the first wins a file-name conflict).",
          .required = true},
         {.name = "gpg", .type = Type::mapping, .description = "Signing key of the view's tree.", .section = &gpg_section()},
         {.name = "apt",
          .type = Type::mapping,
          .description = "Release names of a view of APT repositories.",
          .section = &view_apt_section()},
         unused("publish_path")}};
    return section;
}

const ConfigSection& database_section() {
    static const ConfigSection section{
        "database", "The catalogue: one SQLite file.",
        {{.name = "url",
          .description = "sqlite:///relative/path or sqlite:////absolute/path; default <base_path>/chantal.db."},
         unused("pool_size"),
         unused("max_overflow"),
         unused("echo")}};
    return section;
}

const ConfigSection& storage_section() {
    static const ConfigSection section{
        "storage", "Where Chantal keeps its files.",
        {{.name = "base_path", .description = "Root of Chantal's state.", .default_value = "/var/lib/chantal"},
         {.name = "pool_path", .description = "Content-addressed pool; default <base_path>/pool."},
         {.name = "published_path", .description = "Target of chantal publish; default <base_path>/published."},
         {.name = "temp_path", .description = "Downloads in progress (same file system as the pool); default <base_path>/tmp."},
         {.name = "metadata_grace_period",
          .type = Type::integer,
          .description = "Seconds the files of a moved latest stay readable by name.",
          .default_value = "600",
          .minimum = 0,
          .maximum = 30 * 24 * 60 * 60}}};
    return section;
}

const ConfigSection& download_section() {
    static const ConfigSection section{
        "download", "Transfers.",
        {{.name = "parallel",
          .type = Type::integer,
          .description = "Concurrent transfers.",
          .default_value = "8",
          .minimum = 1,
          .maximum = 100},
         {.name = "timeout",
          .type = Type::integer,
          .description = "Seconds without progress before a transfer is retried.",
          .default_value = "60",
          .minimum = 1,
          .maximum = 86400},
         {.name = "retry_attempts",
          .type = Type::integer,
          .description = "Retries of a failed transfer.",
          .default_value = "3",
          .minimum = 0,
          .maximum = 10},
         unused("backend"),
         unused("verify_checksum")}};
    return section;
}

}  // namespace

const ConfigKey* ConfigSection::find(std::string_view name) const {
    for (const auto& key : keys)
        if (key.name == name) return &key;
    return nullptr;
}

const ConfigSection& config_file_section() {
    static const ConfigSection section{
        "Chantal configuration", "The chantal and chantalfs config file (YAML).",
        {{.name = "database", .type = Type::mapping, .description = "The catalogue.", .section = &database_section()},
         {.name = "storage", .type = Type::mapping, .description = "Storage paths.", .section = &storage_section()},
         {.name = "download", .type = Type::mapping, .description = "Transfers.", .section = &download_section()},
         {.name = "proxy", .type = Type::mapping, .description = "Default HTTP proxy.", .section = &proxy_section()},
         {.name = "ssl", .type = Type::mapping, .description = "Default TLS settings.", .section = &ssl_section()},
         {.name = "verify",
          .type = Type::mapping,
          .description = "Default upstream signature checks.",
          .section = &verify_section()},
         {.name = "gpg", .type = Type::mapping, .description = "Default signing key of generated trees.", .section = &gpg_section()},
         {.name = "metadata",
          .type = Type::mapping,
          .description = "Default settings of generated index files.",
          .section = &metadata_section()},
         {.name = "repositories", .type = Type::mapping_list, .description = "Upstream repositories.", .section = &repository_section()},
         {.name = "views", .type = Type::mapping_list, .description = "Views over repositories.", .section = &view_section()},
         {.name = "include",
          .type = Type::string_list,
          .description = "Globs of files whose repositories, views and includes are merged (relative to this file)."}}};
    return section;
}

std::string describe_alternatives(const std::vector<std::string_view>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) text += i + 1 == values.size() ? " or " : ", ";
        text += values[i];
    }
    return text;
}

}  // namespace chantal
