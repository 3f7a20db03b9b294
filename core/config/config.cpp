#include "core/config/config.h"

#include <glob.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <set>

#include "core/base/error.h"
#include "core/base/nearest_word.h"
#include "core/base/relative_path.h"
#include "core/base/regex.h"
#include "core/config/config_keys.h"
#include "core/config/iso_time.h"

namespace chantal {
namespace fs = std::filesystem;

std::string ConfigLocation::describe() const {
    return line > 0 ? file.string() + ":" + std::to_string(line) : file.string();
}

TlsSettings TlsSettings::merged_with(const TlsSettings& override_with) const {
    TlsSettings merged = *this;
    if (override_with.ca_bundle) merged.ca_bundle = override_with.ca_bundle;
    if (override_with.verify) merged.verify = override_with.verify;
    if (override_with.client_cert) merged.client_cert = override_with.client_cert;
    if (override_with.client_key) merged.client_key = override_with.client_key;
    if (override_with.client_cert_dir) merged.client_cert_dir = override_with.client_cert_dir;
    if (override_with.client_cert || override_with.client_cert_dir) {
        if (!override_with.client_cert) merged.client_cert.reset();
        if (!override_with.client_key) merged.client_key.reset();
        if (!override_with.client_cert_dir) merged.client_cert_dir.reset();
    }
    return merged;
}

const char* signature_problem_action_name(SignatureProblemAction action) {
    switch (action) {
        case SignatureProblemAction::fail: return "fail";
        case SignatureProblemAction::warn: return "warn";
        case SignatureProblemAction::skip: return "skip";
    }
    return "fail";
}

const char* retention_policy_name(RetentionPolicy policy) {
    switch (policy) {
        case RetentionPolicy::mirror: return "mirror";
        case RetentionPolicy::newest_only: return "newest-only";
        case RetentionPolicy::keep_last_n: return "keep-last-n";
        case RetentionPolicy::keep_all: return "keep-all";
    }
    return "mirror";
}

const char* metadata_compression_name(MetadataCompression compression) {
    switch (compression) {
        case MetadataCompression::automatic: return "auto";
        case MetadataCompression::gzip: return "gzip";
        case MetadataCompression::zstandard: return "zstandard";
        case MetadataCompression::bzip2: return "bzip2";
        case MetadataCompression::none: return "none";
    }
    return "auto";
}

const char* repository_mode_name(RepositoryMode mode) {
    switch (mode) {
        case RepositoryMode::mirror: return "mirror";
        case RepositoryMode::filtered: return "filtered";
        case RepositoryMode::hosted: return "hosted";
    }
    return "mirror";
}

const RepositoryConfig* Config::find_repository(const std::string& id) const {
    for (const auto& repository : repositories)
        if (repository.id == id) return &repository;
    return nullptr;
}

const ViewConfig* Config::find_view(const std::string& name) const {
    for (const auto& view : views)
        if (view.name == name) return &view;
    return nullptr;
}

const RepositoryConfig& Config::repository(const std::string& id) const {
    if (const auto* found = find_repository(id)) return *found;
    throw Error::not_found("unknown repository '" + id + "' (not configured in " + file.string() + ")");
}

const ViewConfig& Config::view(const std::string& name) const {
    if (const auto* found = find_view(name)) return *found;
    throw Error::not_found("unknown view '" + name + "' (not configured in " + file.string() + ")");
}

namespace {

int line_of(const YAML::Node& node) {
    const auto mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

// Walks one YAML mapping of one file: typed accessors, and at the end an
// error for every key nobody asked for. Every key asked for must be declared
// in the mapping's section table (config_keys.h), which also gives integer
// ranges, enumerations and the keys accepted for compatibility.
class MapReader {
public:
    MapReader(const YAML::Node& node, fs::path file, std::string section, const ConfigSection& keys,
              std::vector<std::string>* warnings)
        : node_(node), file_(std::move(file)), section_(std::move(section)), keys_(keys), warnings_(warnings) {
        if (!node_.IsMap()) fail(node_, "'" + section_ + "' must be a mapping");
    }

    // The declaration of `key`; a key missing from the table is a bug here.
    const ConfigKey& declared(const std::string& key) const {
        const ConfigKey* found = keys_.find(key);
        if (!found) throw Error::internal("config key '" + key + "' of '" + section_ + "' is not declared in config_keys.cpp");
        return *found;
    }

    [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
        throw Error::invalid_input(ConfigLocation{file_, line_of(at)}.describe() + ": " + message);
    }

    YAML::Node take(const std::string& key) {
        declared(key);
        consumed_.insert(key);
        return node_[key];
    }

    std::optional<std::string> string(const std::string& key) {
        YAML::Node value = take(key);
        if (!value || value.IsNull()) return std::nullopt;
        if (!value.IsScalar()) fail(value, "'" + key + "' must be a string");
        return value.Scalar();
    }

    // A missing required key that a key of the mapping misspells is
    // reported as that unknown key ("unknown key 'fead' ...; did you mean
    // 'feed'?"), at its line.
    std::string required_string(const std::string& key, const YAML::Node& owner) {
        auto value = string(key);
        if (value && !value->empty()) return *value;
        for (const auto& entry : node_) {
            const std::string written = entry.first.Scalar();
            if (!consumed_.count(written) && nearest_word(written, {key}))
                fail(entry.first, "unknown key '" + written + "' in '" + section_ + "'; did you mean '" + key +
                                      "'? ('" + section_ + "' needs '" + key + "')");
        }
        fail(owner, "'" + section_ + "' needs '" + key + "'");
    }

    std::optional<bool> boolean(const std::string& key) {
        YAML::Node value = take(key);
        if (!value || value.IsNull()) return std::nullopt;
        bool result = false;
        if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result))
            fail(value, "'" + key + "' must be true or false");
        return result;
    }

    std::optional<int> integer(const std::string& key) {
        const ConfigKey& declaration = declared(key);
        const auto minimum = static_cast<int>(declaration.minimum);
        const auto maximum = static_cast<int>(declaration.maximum);
        YAML::Node value = take(key);
        if (!value || value.IsNull()) return std::nullopt;
        int result = 0;
        if (!value.IsScalar() || !YAML::convert<int>::decode(value, result))
            fail(value, "'" + key + "' must be an integer");
        if (result < minimum || result > maximum)
            fail(value, "'" + key + "' must be between " + std::to_string(minimum) + " and " + std::to_string(maximum));
        return result;
    }

    std::optional<std::uint64_t> unsigned_integer(const std::string& key) {
        YAML::Node value = take(key);
        if (!value || value.IsNull()) return std::nullopt;
        std::uint64_t result = 0;
        const bool negative = value.IsScalar() && !value.Scalar().empty() && value.Scalar()[0] == '-';
        if (!value.IsScalar() || negative || !YAML::convert<std::uint64_t>::decode(value, result))
            fail(value, "'" + section_ + "." + key + "' must be a non-negative integer, not '" +
                            (value.IsScalar() ? value.Scalar() : std::string("a ") + (value.IsMap() ? "mapping" : "list")) +
                            "'");
        return result;
    }

    void warn(const YAML::Node& at, const std::string& message) const {
        warnings_->push_back(ConfigLocation{file_, line_of(at)}.describe() + ": " + message);
    }

    std::vector<std::string> string_list(const std::string& key) {
        YAML::Node value = take(key);
        std::vector<std::string> result;
        if (!value || value.IsNull()) return result;
        if (value.IsScalar()) return {value.Scalar()};
        if (!value.IsSequence()) fail(value, "'" + key + "' must be a list of strings");
        for (const auto& item : value) {
            if (!item.IsScalar()) fail(item, "'" + key + "' must be a list of strings");
            result.push_back(item.Scalar());
        }
        return result;
    }

    std::optional<MapReader> map(const std::string& key) {
        YAML::Node value = take(key);
        if (!value || value.IsNull()) return std::nullopt;
        return MapReader(value, file_, key, *declared(key).section, warnings_);
    }

    // The allowed values of an enumeration key.
    const std::vector<std::string_view>& alternatives(const std::string& key) const { return declared(key).allowed; }

    // Keys the table marks as accepted for compatibility get a warning;
    // then every key not asked for is an error.
    void finish() {
        for (const auto& key : keys_.keys) {
            if (key.status != ConfigKeyStatus::accepted_unused || consumed_.count(std::string(key.name))) continue;
            const std::string name(key.name);
            YAML::Node value = take(name);
            if (value && !value.IsNull())
                warnings_->push_back(ConfigLocation{file_, line_of(value)}.describe() + ": '" + section_ + "." + name +
                                     "' is accepted for compatibility but has no effect");
        }
        for (const auto& entry : node_) {
            const std::string key = entry.first.Scalar();
            if (consumed_.count(key)) continue;
            const auto meant = nearest_word(key, {consumed_.begin(), consumed_.end()});
            fail(entry.first, "unknown key '" + key + "' in '" + section_ + "'" +
                                  (meant ? "; did you mean '" + *meant + "'?" : ""));
        }
    }

    const YAML::Node& node() const { return node_; }
    const fs::path& file() const { return file_; }

private:
    YAML::Node node_;
    fs::path file_;
    std::string section_;
    const ConfigSection& keys_;
    std::vector<std::string>* warnings_;
    std::set<std::string> consumed_;
};

fs::path resolve_against(const fs::path& file, const std::string& value) {
    fs::path path(value);
    if (!value.empty() && value[0] == '~') {
        const char* home = std::getenv("HOME");
        if (home) path = fs::path(home) / value.substr(value.size() > 1 && value[1] == '/' ? 2 : 1);
    }
    if (path.is_relative()) path = file.parent_path() / path;
    return path.lexically_normal();
}

YAML::Node parse_yaml_file(const fs::path& file) {
    try {
        return YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        throw Error::not_found("cannot read config file " + file.string());
    } catch (const YAML::ParserException& error) {
        throw Error::invalid_input(ConfigLocation{file, error.mark.line + 1}.describe() + ": YAML syntax error: " +
                                   error.msg);
    }
}

bool valid_identifier(const std::string& text) {
    if (text.empty() || text.size() > 128 || text[0] == '.' || text[0] == '-') return false;
    for (unsigned char c : text)
        if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

// A file name served at a tree root (public keys): one plain path component.
bool valid_tree_file_name(const std::string& name) {
    return valid_identifier(name) && name != "repodata" && name != "Packages";
}

TlsSettings read_tls(MapReader& reader, const fs::path& file) {
    TlsSettings tls;
    if (auto value = reader.string("ca_bundle")) tls.ca_bundle = resolve_against(file, *value);
    tls.verify = reader.boolean("verify");
    if (auto value = reader.string("client_cert")) tls.client_cert = resolve_against(file, *value);
    if (auto value = reader.string("client_key")) tls.client_key = resolve_against(file, *value);
    reader.finish();
    return tls;
}

ProxySettings read_proxy(MapReader& reader) {
    ProxySettings proxy;
    proxy.http_proxy = reader.string("http_proxy").value_or("");
    proxy.https_proxy = reader.string("https_proxy").value_or("");
    proxy.no_proxy = reader.string("no_proxy").value_or("");
    proxy.username = reader.string("username").value_or("");
    proxy.password = reader.string("password").value_or("");
    reader.finish();
    return proxy;
}

IncludeExclude read_include_exclude(MapReader& reader) {
    IncludeExclude lists;
    lists.include = reader.string_list("include");
    lists.exclude = reader.string_list("exclude");
    reader.finish();
    return lists;
}

// The top-level `verify:`, `gpg:` and `metadata:` defaults, read before the
// repositories and views that inherit them.
struct RepositoryDefaults {
    std::optional<VerifySettings> verify;
    std::optional<SigningSettings> signing;
    MetadataCompression metadata_compression = MetadataCompression::automatic;
};

// A `metadata:` mapping: its compression, else `inherited`.
MetadataCompression read_metadata(MapReader& reader, MetadataCompression inherited) {
    MetadataCompression compression = inherited;
    if (const auto value = reader.string("compression")) {
        const auto& alternatives = reader.alternatives("compression");
        bool known = false;
        for (auto candidate : {MetadataCompression::automatic, MetadataCompression::gzip, MetadataCompression::zstandard,
                               MetadataCompression::bzip2, MetadataCompression::none})
            if (*value == metadata_compression_name(candidate)) {
                compression = candidate;
                known = true;
            }
        if (!known) {
            const auto meant = nearest_word(*value, {alternatives.begin(), alternatives.end()});
            reader.fail(reader.node()["compression"], "'metadata.compression' must be " + describe_alternatives(alternatives) +
                                                          ", not '" + *value + "'" +
                                                          (meant ? "; did you mean '" + *meant + "'?" : ""));
        }
    }
    reader.finish();
    return compression;
}

SignatureProblemAction read_signature_action(MapReader& reader, const std::string& key) {
    const auto value = reader.string(key);
    if (!value) return SignatureProblemAction::fail;
    for (auto action : {SignatureProblemAction::fail, SignatureProblemAction::warn, SignatureProblemAction::skip})
        if (*value == signature_problem_action_name(action)) return action;
    const auto& alternatives = reader.alternatives(key);
    const auto meant = nearest_word(*value, {alternatives.begin(), alternatives.end()});
    reader.fail(reader.node()[key], "'" + key + "' must be " + describe_alternatives(alternatives) + ", not '" + *value + "'" +
                                        (meant ? "; did you mean '" + *meant + "'?" : ""));
}

// A `verify:` mapping; nullopt for `enabled: false`.
std::optional<VerifySettings> read_verify(MapReader& reader, const fs::path& file) {
    VerifySettings verify;
    verify.location = {file, line_of(reader.node())};
    const bool enabled = reader.boolean("enabled").value_or(true);
    verify.repo_gpgcheck = reader.boolean("repo_gpgcheck").value_or(verify.repo_gpgcheck);
    verify.gpgcheck = reader.boolean("gpgcheck").value_or(verify.gpgcheck);
    for (const auto& key_file : reader.string_list("key_files")) verify.key_files.push_back(resolve_against(file, key_file));
    verify.keys = reader.string_list("keys");
    verify.trusted_fingerprints = reader.string_list("trusted_fingerprints");
    if (auto home = reader.string("gnupg_home")) verify.gnupg_home = resolve_against(file, *home);
    verify.on_missing_signature = read_signature_action(reader, "on_missing_signature");
    verify.on_invalid_signature = read_signature_action(reader, "on_invalid_signature");
    verify.client_key_name = reader.string("client_key_name").value_or("");
    reader.finish();
    if (!enabled) return std::nullopt;
    if (verify.key_files.empty() && verify.keys.empty() && !verify.gnupg_home)
        reader.fail(reader.node(), "'verify' needs the keys to trust: key_files, keys or gnupg_home");
    if (!verify.repo_gpgcheck && !verify.gpgcheck)
        reader.fail(reader.node(), "'verify' checks nothing: set repo_gpgcheck or gpgcheck (or enabled: false)");
    return verify;
}

// A `gpg:` mapping; nullopt for `enabled: false`.
std::optional<SigningSettings> read_signing(MapReader& reader, const fs::path& file) {
    SigningSettings signing;
    signing.location = {file, line_of(reader.node())};
    const bool enabled = reader.boolean("enabled").value_or(true);
    if (auto value = reader.string("key_file")) signing.key_file = resolve_against(file, *value);
    signing.key_id = reader.string("key_id").value_or("");
    if (auto value = reader.string("gnupg_home")) signing.gnupg_home = resolve_against(file, *value);
    signing.passphrase = reader.string("passphrase");
    if (auto value = reader.string("passphrase_file")) signing.passphrase_file = resolve_against(file, *value);
    if (auto value = reader.string("public_key_file")) signing.public_key_file = resolve_against(file, *value);
    signing.public_key_name = reader.string("public_key_name").value_or(signing.public_key_name);
    signing.generate_key = reader.boolean("generate_key").value_or(false);
    signing.key_name = reader.string("key_name").value_or(signing.key_name);
    signing.key_email = reader.string("key_email").value_or("");
    reader.finish();
    if (!enabled) return std::nullopt;
    const int sources = (signing.key_file ? 1 : 0) + (!signing.key_id.empty() && !signing.generate_key ? 1 : 0) +
                        (signing.generate_key ? 1 : 0);
    if (sources == 0)
        reader.fail(reader.node(), "'gpg' needs a key: key_file, key_id (with gnupg_home) or generate_key: true");
    if (sources > 1) reader.fail(reader.node(), "'gpg' takes one key source: key_file, key_id or generate_key");
    if (signing.passphrase && signing.passphrase_file)
        reader.fail(reader.node(), "'gpg' takes passphrase or passphrase_file, not both");
    if (!valid_tree_file_name(signing.public_key_name))
        reader.fail(reader.node(), "'gpg.public_key_name' must be a plain file name, not '" + signing.public_key_name + "'");
    return signing;
}

void check_regexes(const MapReader& owner, const YAML::Node& at, const std::vector<std::string>& patterns,
                   const std::string& key) {
    for (const auto& pattern : patterns) {
        try {
            Regex compiled(pattern);
        } catch (const Error& error) {
            owner.fail(at, "'" + key + "': " + error.what());
        }
    }
}

// An include/exclude mapping of regexes at `key` of `owner` ("filters.<section>.<key>" in messages).
IncludeExclude read_regex_lists(MapReader& owner, const std::string& key, const std::string& path) {
    IncludeExclude lists;
    if (auto reader = owner.map(key)) {
        lists = read_include_exclude(*reader);
        check_regexes(owner, reader->node(), lists.include, path + ".include");
        check_regexes(owner, reader->node(), lists.exclude, path + ".exclude");
    }
    return lists;
}

std::vector<std::uint64_t> read_epoch_list(MapReader& reader, const std::string& key) {
    const YAML::Node at = reader.node()[key];
    std::vector<std::uint64_t> epochs;
    for (const auto& text : reader.string_list(key)) {
        std::uint64_t epoch = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), epoch);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
            reader.fail(at, "'filters.rpm.epochs." + key + "' must list non-negative integers, not '" + text + "'");
        epochs.push_back(epoch);
    }
    return epochs;
}

SizeRange read_size_range(MapReader& reader) {
    SizeRange range;
    range.min = reader.unsigned_integer("min");
    range.max = reader.unsigned_integer("max");
    reader.finish();
    if (range.min && range.max && *range.min > *range.max)
        reader.fail(reader.node(), "'filters.metadata.size_bytes': min (" + std::to_string(*range.min) +
                                       ") is larger than max (" + std::to_string(*range.max) + ")");
    return range;
}

BuildTimeWindow read_build_time(MapReader& reader) {
    BuildTimeWindow window;
    auto read_time = [&](const std::string& key, std::string& text) -> std::optional<std::int64_t> {
        auto value = reader.string(key);
        if (!value) return std::nullopt;
        auto time = parse_iso_time(*value);
        if (!time)
            reader.fail(reader.node()[key], "'filters.metadata.build_time." + key +
                                                "' must be a date (YYYY-MM-DD) or a datetime (YYYY-MM-DDTHH:MM:SS), not '" +
                                                *value + "'");
        text = *value;
        return time;
    };
    window.newer_than = read_time("newer_than", window.newer_than_text);
    window.older_than = read_time("older_than", window.older_than_text);
    if (reader.node()["last_n_days"] && !reader.node()["last_n_days"].IsNull()) {
        const YAML::Node at = reader.node()["last_n_days"];
        int days = 0;
        if (!at.IsScalar() || !YAML::convert<int>::decode(at, days) || days < 1 || days > 100000)
            reader.fail(at, "'filters.metadata.build_time.last_n_days' must be an integer from 1 to 100000, not '" +
                                (at.IsScalar() ? at.Scalar() : std::string("a collection")) + "'");
    }
    window.last_n_days = reader.integer("last_n_days");
    reader.finish();
    if (window.newer_than && window.older_than && *window.newer_than > *window.older_than)
        reader.fail(reader.node(), "'filters.metadata.build_time': newer_than (" + window.newer_than_text +
                                       ") is after older_than (" + window.older_than_text + "): nothing could pass");
    return window;
}

// Python Chantal's flat filter keys (in `filters:`, or in the repository
// itself: `prefix` "filters." or ""): accepted as their current form, with a
// warning naming it.
void read_legacy_filters(MapReader& reader, RepositoryFilters& filters, const std::string& prefix) {
    struct Legacy {
        const char* key;
        std::vector<std::string>* list;
        bool regex;
    };
    const Legacy legacy[] = {
        {"include_packages", &filters.patterns.include, true},
        {"exclude_packages", &filters.patterns.exclude, true},
        {"include_architectures", &filters.architectures.include, false},
        {"exclude_architectures", &filters.architectures.exclude, false},
    };
    for (const Legacy& entry : legacy) {
        const YAML::Node at = reader.node()[entry.key];
        const auto values = reader.string_list(entry.key);
        if (!at || at.IsNull()) continue;
        if (entry.regex) check_regexes(reader, at, values, prefix + entry.key);
        entry.list->insert(entry.list->end(), values.begin(), values.end());
        reader.warn(at, "'" + prefix + entry.key + "' is deprecated; use '" +
                            std::string(reader.declared(entry.key).replacement) + "'");
    }
}

RepositoryFilters read_filters(MapReader& reader) {
    RepositoryFilters filters;
    if (auto patterns = reader.map("patterns")) {
        filters.patterns = read_include_exclude(*patterns);
        check_regexes(reader, patterns->node(), filters.patterns.include, "filters.patterns.include");
        check_regexes(reader, patterns->node(), filters.patterns.exclude, "filters.patterns.exclude");
    }
    if (auto metadata = reader.map("metadata")) {
        if (auto architectures = metadata->map("architectures")) filters.architectures = read_include_exclude(*architectures);
        if (auto size = metadata->map("size_bytes")) filters.size_bytes = read_size_range(*size);
        if (auto build_time = metadata->map("build_time")) filters.build_time = read_build_time(*build_time);
        metadata->finish();
    }
    if (auto rpm = reader.map("rpm")) {
        filters.exclude_source_rpms = rpm->boolean("exclude_source_rpms").value_or(false);
        filters.groups = read_regex_lists(*rpm, "groups", "filters.rpm.groups");
        filters.licenses = read_regex_lists(*rpm, "licenses", "filters.rpm.licenses");
        filters.vendors = read_regex_lists(*rpm, "vendors", "filters.rpm.vendors");
        if (auto epochs = rpm->map("epochs")) {
            filters.epochs.include = read_epoch_list(*epochs, "include");
            filters.epochs.exclude = read_epoch_list(*epochs, "exclude");
            epochs->finish();
        }
        rpm->finish();
    }
    if (auto deb = reader.map("deb")) {
        filters.deb_priorities = deb->string_list("priorities");
        filters.deb_sections = deb->string_list("sections");
        deb->finish();
    }
    if (auto post = reader.map("post_processing")) {
        filters.only_latest_version = post->boolean("only_latest_version").value_or(false);
        filters.only_latest_n_versions = post->integer("only_latest_n_versions").value_or(0);
        post->finish();
    }
    read_legacy_filters(reader, filters, "filters.");
    reader.finish();
    return filters;
}

// auth.headers of type custom: a mapping of header names to values.
std::vector<HttpHeader> read_headers(MapReader& reader) {
    const YAML::Node at = reader.node()["headers"];
    const YAML::Node node = reader.take("headers");
    if (!node || node.IsNull() || (node.IsMap() && node.size() == 0))
        reader.fail(at ? at : reader.node(), "auth type custom needs 'headers', a mapping of header names to values");
    if (!node.IsMap()) reader.fail(node, "'auth.headers' must be a mapping of header names to values");
    std::vector<HttpHeader> headers;
    for (const auto& entry : node) {
        const std::string name = entry.first.Scalar();
        const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
            return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
        });
        if (!token) reader.fail(entry.first, "'auth.headers': '" + name + "' is not a valid HTTP header name");
        // The value is a secret: a message never quotes it.
        if (!entry.second.IsScalar())
            reader.fail(entry.second, "'auth.headers." + name + "' must be a string");
        const std::string& value = entry.second.Scalar();
        if (value.find_first_of("\r\n") != std::string::npos)
            reader.fail(entry.second, "'auth.headers." + name + "' must be one line");
        headers.push_back({name, value});
    }
    return headers;
}

void read_auth(MapReader& reader, RepositoryConfig& repository, const fs::path& file) {
    const std::string type = reader.required_string("type", reader.node());
    if (type == "basic") {
        repository.basic_auth = BasicAuth{reader.required_string("username", reader.node()),
                                          reader.string("password").value_or("")};
    } else if (type == "bearer") {
        const auto token = reader.string("token");
        if (!token || token->empty()) reader.fail(reader.node(), "auth type bearer needs 'token'");
        if (token->find_first_of("\r\n") != std::string::npos) reader.fail(reader.node(), "'auth.token' must be one line");
        repository.bearer_token = *token;
    } else if (type == "custom") {
        repository.headers = read_headers(reader);
    } else if (type == "client_cert") {
        auto cert_dir = reader.string("cert_dir");
        auto cert_file = reader.string("cert_file");
        auto key_file = reader.string("key_file");
        if (!cert_file && !cert_dir) reader.fail(reader.node(), "auth type client_cert needs 'cert_file' or 'cert_dir'");
        fs::path directory = cert_dir ? resolve_against(file, *cert_dir) : file.parent_path();
        if (cert_file) {
            repository.tls.client_cert = resolve_against(directory / "x", *cert_file);
            if (key_file) repository.tls.client_key = resolve_against(directory / "x", *key_file);
        } else {
            if (key_file) reader.fail(reader.node(), "'auth.key_file' needs 'cert_file' (with only cert_dir, the pair is found in it)");
            repository.tls.client_cert_dir = directory;
        }
    } else {
        const auto& alternatives = reader.alternatives("type");
        const auto meant = nearest_word(type, {alternatives.begin(), alternatives.end()});
        reader.fail(reader.node(), "auth type '" + type + "' is not supported (use " + describe_alternatives(alternatives) + ")" +
                                       (meant ? "; did you mean '" + *meant + "'?" : ""));
    }
    if (auto verify = reader.boolean("verify_ssl")) repository.tls.verify = verify;
    if (auto ca_bundle = reader.string("ca_bundle")) repository.tls.ca_bundle = resolve_against(file, *ca_bundle);
    reader.finish();
}

RetentionSettings read_retention(MapReader& reader, const std::string& repo_id) {
    RetentionSettings retention;
    const YAML::Node policy_node = reader.node()["policy"];
    const std::string policy = reader.string("policy").value_or("mirror");
    const RetentionPolicy policies[] = {RetentionPolicy::mirror, RetentionPolicy::newest_only, RetentionPolicy::keep_last_n,
                                        RetentionPolicy::keep_all};
    bool known = false;
    for (RetentionPolicy candidate : policies)
        if (policy == retention_policy_name(candidate)) {
            retention.policy = candidate;
            known = true;
        }
    if (!known) {
        const auto& alternatives = reader.alternatives("policy");
        const auto meant = nearest_word(policy, {alternatives.begin(), alternatives.end()});
        reader.fail(policy_node, "repository '" + repo_id + "': 'retention.policy' must be " + describe_alternatives(alternatives) + ", not '" +
                                     policy + "'" + (meant ? "; did you mean '" + *meant + "'?" : ""));
    }
    const YAML::Node count_node = reader.node()["keep_count"];
    const auto keep_count = reader.integer("keep_count");
    reader.finish();
    if (retention.policy == RetentionPolicy::keep_last_n) {
        if (!keep_count)
            reader.fail(reader.node(), "repository '" + repo_id + "': retention policy keep-last-n needs 'keep_count' (a positive integer)");
        retention.keep_count = *keep_count;
    } else if (keep_count) {
        reader.warn(count_node, "'retention.keep_count' has no effect with policy '" + policy + "' (only with keep-last-n)");
    }
    return retention;
}

// Components and architectures name index directories: plain words only.
bool valid_archive_word(const std::string& word) {
    return !word.empty() && word != "." && word != ".." &&
           std::all_of(word.begin(), word.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '+';
           });
}

AptSettings read_apt(MapReader& reader, const std::string& repo_id) {
    AptSettings apt;
    const YAML::Node node = reader.node();
    apt.distribution = reader.string("distribution").value_or("");
    if (node["components"]) apt.components = reader.string_list("components");
    if (node["architectures"]) apt.architectures = reader.string_list("architectures");
    apt.include_source_packages = reader.boolean("include_source_packages").value_or(false);
    apt.include_contents = reader.boolean("include_contents").value_or(false);
    apt.include_translations = reader.boolean("include_translations").value_or(false);
    apt.by_hash = reader.boolean("by_hash").value_or(true);
    apt.flat_repository = reader.boolean("flat_repository").value_or(false);
    apt.check_valid_until = reader.boolean("check_valid_until").value_or(true);
    apt.suite = reader.string("suite").value_or("");
    apt.codename = reader.string("codename").value_or("");
    apt.origin = reader.string("origin").value_or("Chantal");
    apt.label = reader.string("label").value_or(repo_id);
    apt.not_automatic = reader.boolean("not_automatic").value_or(false);
    apt.but_automatic_upgrades = reader.boolean("but_automatic_upgrades").value_or(false);
    apt.valid_until_days = reader.integer("valid_until_days");
    if (apt.but_automatic_upgrades && !apt.not_automatic)
        reader.warn(node["but_automatic_upgrades"],
                    "repository '" + repo_id + "': 'apt.but_automatic_upgrades' has no effect without "
                                               "apt.not_automatic (apt reads it only for a NotAutomatic suite)");
    reader.finish();
    if (apt.suite.empty()) apt.suite = apt.distribution.empty() ? "stable" : apt.distribution;
    if (apt.codename.empty()) apt.codename = apt.suite;
    for (const auto* field : {&apt.suite, &apt.codename, &apt.origin, &apt.label})
        if (field->find_first_of("\n\r") != std::string::npos)
            reader.fail(node, "repository '" + repo_id + "': apt.suite, codename, origin and label are one line each");
    if (!is_clean_relative_path(apt.suite))
        reader.fail(node["suite"], "repository '" + repo_id + "': 'apt.suite' must be a path below dists/, not '" + apt.suite + "'");
    const std::string where = "repository '" + repo_id + "': ";
    if (apt.flat_repository) {
        if (!apt.distribution.empty())
            reader.fail(node["distribution"], where + "'apt.flat_repository' has no distribution (its Release is at the feed root)");
        return apt;
    }
    if (apt.distribution.empty())
        reader.fail(node, where + "'apt.distribution' is required (the suite under dists/, e.g. bookworm), "
                                  "unless apt.flat_repository is true");
    if (!is_clean_relative_path(apt.distribution))
        reader.fail(node["distribution"], where + "'apt.distribution' must be a path below dists/, not '" + apt.distribution + "'");
    if (apt.components.empty()) reader.fail(node, where + "'apt.components' lists no component");
    if (apt.architectures.empty()) reader.fail(node, where + "'apt.architectures' lists no architecture");
    for (const auto& component : apt.components)
        if (!valid_archive_word(component))
            reader.fail(node["components"], where + "'apt.components' holds '" + component + "', which is not a component name");
    for (const auto& architecture : apt.architectures)
        if (!valid_archive_word(architecture))
            reader.fail(node["architectures"],
                        where + "'apt.architectures' holds '" + architecture + "', which is not an architecture name");
    return apt;
}

// `apt:` of a view: the Release names of its generated APT tree, each
// defaulting to the view's name (origin to "Chantal").
AptReleaseNames read_apt_release_names(MapReader& reader, const std::string& view_name) {
    AptReleaseNames names;
    const YAML::Node node = reader.node();
    names.suite = reader.string("suite").value_or(view_name);
    names.codename = reader.string("codename").value_or(names.suite);
    names.origin = reader.string("origin").value_or("Chantal");
    names.label = reader.string("label").value_or(view_name);
    reader.finish();
    for (const auto* field : {&names.suite, &names.codename, &names.origin, &names.label})
        if (field->empty() || field->find_first_of("\n\r") != std::string::npos)
            reader.fail(node, "view '" + view_name + "': apt.suite, codename, origin and label are one non-empty line each");
    if (!is_clean_relative_path(names.suite))
        reader.fail(node["suite"], "view '" + view_name + "': 'apt.suite' must be a path below dists/, not '" + names.suite + "'");
    return names;
}

RepositoryConfig read_repository(const YAML::Node& node, const fs::path& file, const RepositoryDefaults& defaults,
                                 std::vector<std::string>* warnings) {
    MapReader reader(node, file, "repositories[]", *config_file_section().find("repositories")->section, warnings);
    RepositoryConfig repository;
    repository.location = {file, line_of(node)};
    repository.id = reader.required_string("id", node);
    if (!valid_identifier(repository.id))
        reader.fail(node, "repository id '" + repository.id + "' may only contain letters, digits, '.', '-' and '_'");
    repository.name = reader.string("name").value_or(repository.id);
    repository.type = reader.string("type").value_or("rpm");
    if (repository.type != "rpm" && repository.type != "apt") {
        const auto& alternatives = reader.alternatives("type");
        reader.fail(node["type"], "repository '" + repository.id + "': type '" + repository.type + "' is not supported (use " +
                                      describe_alternatives(alternatives) + ")");
    }
    std::optional<std::string> mode = reader.string("mode");
    YAML::Node mode_node = node["mode"];
    const bool hosted = mode == "hosted";
    if (hosted) {
        if (const YAML::Node feed = node["feed"])
            reader.fail(feed, "repository '" + repository.id +
                                  "': mode 'hosted' has no upstream, so it takes no 'feed' (its packages come from "
                                  "`chantal package upload`)");
        if (const YAML::Node verify = node["verify"])
            reader.fail(verify, "repository '" + repository.id +
                                    "': 'verify' checks an upstream, and mode 'hosted' has none");
    } else {
        repository.feed = reader.required_string("feed", node);
        while (repository.feed.size() > 1 && repository.feed.back() == '/') repository.feed.pop_back();
        if (repository.feed.rfind("http://", 0) != 0 && repository.feed.rfind("https://", 0) != 0 &&
            repository.feed.rfind("file://", 0) != 0)
            reader.fail(node, "repository '" + repository.id + "': feed must be an http://, https:// or file:// URL");
    }
    repository.enabled = reader.boolean("enabled").value_or(true);

    if (auto filters = reader.map("filters")) repository.filters = read_filters(*filters);
    read_legacy_filters(reader, repository.filters, "");
    if (auto ssl = reader.map("ssl")) repository.tls = read_tls(*ssl, file);
    if (auto proxy = reader.map("proxy")) repository.proxy = read_proxy(*proxy);
    if (auto auth = reader.map("auth")) read_auth(*auth, repository, file);
    if (auto verify = reader.map("verify")) repository.verify = read_verify(*verify, file);
    else repository.verify = defaults.verify;
    if (repository.verify) {
        std::string& name = repository.verify->client_key_name;
        for (auto at = name.find("{repo_id}"); at != std::string::npos; at = name.find("{repo_id}"))
            name.replace(at, 9, repository.id);
        if (!name.empty() && !valid_tree_file_name(name))
            reader.fail(node, "repository '" + repository.id + "': verify.client_key_name must be a plain file name, not '" +
                                  name + "'");
    }
    if (auto signing = reader.map("gpg")) repository.signing = read_signing(*signing, file);
    else repository.signing = defaults.signing;
    if (auto retention = reader.map("retention")) repository.retention = read_retention(*retention, repository.id);
    repository.metadata_compression = defaults.metadata_compression;
    if (auto metadata = reader.map("metadata")) repository.metadata_compression = read_metadata(*metadata, defaults.metadata_compression);
    const YAML::Node apt_node = node["apt"];
    if (auto apt = reader.map("apt")) {
        repository.apt = read_apt(*apt, repository.id);
        if (repository.type != "apt")
            reader.warn(apt_node, "repository '" + repository.id + "': 'apt' has no effect on a type " + repository.type +
                                      " repository");
    } else if (repository.type == "apt") {
        reader.fail(node, "repository '" + repository.id + "': type apt needs an 'apt' mapping (at least apt.distribution)");
    }
    reader.finish();
    // Each format's own filters: on a repository of the other type they
    // select nothing, and are dropped with a warning.
    RepositoryFilters& filters = repository.filters;
    const YAML::Node filters_node = node["filters"];
    if (repository.type != "apt" && filters.has_deb_filters()) {
        reader.warn(filters_node["deb"], "repository '" + repository.id + "': 'filters.deb' has no effect on a type " +
                                             repository.type + " repository");
        filters.deb_priorities.clear();
        filters.deb_sections.clear();
    }
    if (repository.type == "apt" && filters.has_rpm_filters()) {
        reader.warn(filters_node["rpm"], "repository '" + repository.id +
                                             "': 'filters.rpm' has no effect on a type apt repository "
                                             "(filters.deb selects by priority and section)");
        filters.exclude_source_rpms = false;
        filters.groups = filters.licenses = filters.vendors = {};
        filters.epochs = {};
    }
    if (repository.type == "apt") {
        // The signed Release (InRelease or Release.gpg) is what apt checks,
        // and its checksums cover every index and package: `verify:` on an
        // APT repository always means that check. Packages carry no
        // signature of their own that apt reads.
        if (repository.verify) {
            repository.verify->repo_gpgcheck = true;
            repository.verify->gpgcheck = false;
        }
    }

    const bool selects = !repository.filters.empty() || repository.retention.policy != RetentionPolicy::mirror;
    if (!mode) {
        repository.mode = selects ? RepositoryMode::filtered : RepositoryMode::mirror;
    } else if (*mode == "mirror") {
        if (!repository.filters.empty())
            reader.fail(mode_node, "repository '" + repository.id +
                                       "': mode 'mirror' cannot be combined with filters (use mode: filtered)");
        if (repository.retention.policy != RetentionPolicy::mirror)
            reader.fail(mode_node, "repository '" + repository.id + "': mode 'mirror' cannot be combined with retention policy '" +
                                       retention_policy_name(repository.retention.policy) + "' (use mode: filtered)");
        repository.mode = RepositoryMode::mirror;
    } else if (*mode == "filtered") {
        repository.mode = RepositoryMode::filtered;
    } else if (hosted) {
        if (!repository.filters.empty())
            reader.fail(node["filters"] ? node["filters"] : mode_node,
                        "repository '" + repository.id +
                            "': mode 'hosted' cannot be combined with filters (it holds what is uploaded)");
        if (repository.retention.policy != RetentionPolicy::mirror)
            reader.fail(node["retention"], "repository '" + repository.id +
                                               "': mode 'hosted' cannot be combined with retention policy '" +
                                               retention_policy_name(repository.retention.policy) + "'");
        if (repository.apt.flat_repository)
            reader.fail(apt_node, "repository '" + repository.id +
                                      "': apt.flat_repository describes an upstream's layout; mode 'hosted' has no "
                                      "upstream (its tree is dists/<suite>/...)");
        repository.mode = RepositoryMode::hosted;
        repository.verify.reset();  // a top-level default checks upstreams; a hosted repository has none
    } else {
        reader.fail(mode_node, "repository '" + repository.id + "': mode must be 'mirror', 'filtered' or 'hosted'");
    }
    return repository;
}

ViewConfig read_view(const YAML::Node& node, const fs::path& file, const RepositoryDefaults& defaults,
                     std::vector<std::string>* warnings) {
    MapReader reader(node, file, "views[]", *config_file_section().find("views")->section, warnings);
    ViewConfig view;
    view.location = {file, line_of(node)};
    view.name = reader.required_string("name", node);
    if (!valid_identifier(view.name) || view.name == "latest")
        reader.fail(node, "view name '" + view.name + "' may only contain letters, digits, '.', '-' and '_'");
    view.description = reader.string("description").value_or("");
    view.repos = reader.string_list("repos");
    if (view.repos.empty()) reader.fail(node, "view '" + view.name + "' needs a non-empty 'repos' list");
    if (auto signing = reader.map("gpg")) view.signing = read_signing(*signing, file);
    else view.signing = defaults.signing;
    if (auto apt = reader.map("apt")) view.apt_release = read_apt_release_names(*apt, view.name);
    else view.apt_release = {view.name, view.name, "Chantal", view.name};
    reader.finish();
    return view;
}

// Reads repositories:, views: and include: of one file into config.
// Used for the main file (after its other sections) and for included files.
void read_collections(MapReader& reader, Config& config, std::set<fs::path>& visited, int depth) {
    const fs::path& file = reader.file();
    const RepositoryDefaults defaults{config.verify, config.signing, config.metadata_compression};
    if (YAML::Node repositories = reader.take("repositories"); repositories && !repositories.IsNull()) {
        if (!repositories.IsSequence()) reader.fail(repositories, "'repositories' must be a list");
        for (const auto& node : repositories) config.repositories.push_back(read_repository(node, file, defaults, &config.warnings));
    }
    if (YAML::Node views = reader.take("views"); views && !views.IsNull()) {
        if (!views.IsSequence()) reader.fail(views, "'views' must be a list");
        for (const auto& node : views) config.views.push_back(read_view(node, file, defaults, &config.warnings));
    }
    YAML::Node include_node = reader.node()["include"];
    for (const auto& pattern : reader.string_list("include")) {
        if (depth > 8) reader.fail(include_node, "includes nested too deeply (cycle?)");
        const fs::path absolute_pattern = resolve_against(file, pattern);
        glob_t matches{};
        int result = ::glob(absolute_pattern.c_str(), 0, nullptr, &matches);
        std::vector<fs::path> files;
        for (size_t i = 0; result == 0 && i < matches.gl_pathc; ++i) files.emplace_back(matches.gl_pathv[i]);
        ::globfree(&matches);
        if (result != 0 && result != GLOB_NOMATCH) reader.fail(include_node, "cannot expand include '" + pattern + "'");
        for (const auto& included : files) {  // glob() returns them sorted
            const fs::path canonical = fs::weakly_canonical(included);
            if (!visited.insert(canonical).second) continue;
            YAML::Node root = parse_yaml_file(included);
            if (!root || root.IsNull()) continue;
            MapReader included_reader(root, included, "top level", config_file_section(), &config.warnings);
            read_collections(included_reader, config, visited, depth + 1);
            included_reader.finish();
        }
    }
}

void validate(const Config& config) {
    std::map<std::string, const RepositoryConfig*> repositories;
    for (const auto& repository : config.repositories) {
        auto [it, inserted] = repositories.emplace(repository.id, &repository);
        if (!inserted)
            throw Error::invalid_input(repository.location.describe() + ": duplicate repository id '" + repository.id +
                                       "' (first defined at " + it->second->location.describe() + ")");
    }
    std::map<std::string, const ViewConfig*> views;
    for (const auto& view : config.views) {
        auto [it, inserted] = views.emplace(view.name, &view);
        if (!inserted)
            throw Error::invalid_input(view.location.describe() + ": duplicate view name '" + view.name +
                                       "' (first defined at " + it->second->location.describe() + ")");
        std::set<std::string> members;
        for (const auto& member : view.repos) {
            if (!repositories.count(member))
                throw Error::invalid_input(view.location.describe() + ": view '" + view.name +
                                           "' names unknown repository '" + member + "'");
            if (!members.insert(member).second)
                throw Error::invalid_input(view.location.describe() + ": view '" + view.name + "' lists repository '" +
                                           member + "' twice");
            const RepositoryConfig& first = *repositories.at(view.repos.front());
            const RepositoryConfig& this_one = *repositories.at(member);
            if (this_one.type != first.type)
                throw Error::invalid_input(view.location.describe() + ": view '" + view.name + "' mixes repository '" +
                                           first.id + "' (type " + first.type + ") with '" + member + "' (type " +
                                           this_one.type + "); a view's repositories have one type");
        }
    }
}

fs::path database_path_from_url(const std::string& url, const MapReader& reader, const YAML::Node& at) {
    const std::string scheme = url.substr(0, url.find(':'));
    const std::string prefix = "sqlite:///";
    if (scheme == "postgres" || scheme.rfind("postgresql", 0) == 0)  // also SQLAlchemy's postgresql+psycopg2
        reader.fail(at, "'database.url' names a PostgreSQL database (" + scheme +
                            "://...): Chantal keeps its catalogue in one SQLite file and does not use PostgreSQL; "
                            "point database.url to that file, e.g. sqlite:////var/lib/chantal/chantal.db "
                            "(or leave database: out for <storage.base_path>/chantal.db)");
    if (url.rfind(prefix, 0) != 0 || url.size() == prefix.size())
        reader.fail(at, "'database.url' " + scheme +
                            ":... is not supported: use sqlite:///relative/path or sqlite:////absolute/path");
    return resolve_against(reader.file(), url.substr(prefix.size()));
}

}  // namespace

Config load_config(const fs::path& file) {
    Config config;
    config.file = fs::absolute(file).lexically_normal();
    YAML::Node root = parse_yaml_file(config.file);
    if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    MapReader reader(root, config.file, "top level", config_file_section(), &config.warnings);

    std::optional<MapReader> database = reader.map("database");
    YAML::Node database_node = root["database"];
    if (auto storage = reader.map("storage")) {
        if (auto value = storage->string("base_path")) config.storage.base_path = resolve_against(config.file, *value);
        if (auto value = storage->string("pool_path")) config.storage.pool_path = resolve_against(config.file, *value);
        if (auto value = storage->string("published_path"))
            config.storage.published_path = resolve_against(config.file, *value);
        if (auto value = storage->string("temp_path")) config.storage.temp_path = resolve_against(config.file, *value);
        config.storage.metadata_grace_period = storage->integer("metadata_grace_period")
                                                   .value_or(config.storage.metadata_grace_period);
        storage->finish();
    }
    if (config.storage.pool_path.empty()) config.storage.pool_path = config.storage.base_path / "pool";
    if (config.storage.temp_path.empty()) config.storage.temp_path = config.storage.base_path / "tmp";
    if (config.storage.published_path.empty()) config.storage.published_path = config.storage.base_path / "published";

    config.database_url = "sqlite:///" + (config.storage.base_path / "chantal.db").string();
    config.database_path = config.storage.base_path / "chantal.db";
    if (database) {
        if (auto url = database->string("url")) {
            config.database_url = *url;
            config.database_path = database_path_from_url(*url, *database, database_node["url"]);
        }
        database->finish();
    }
    if (auto download = reader.map("download")) {
        config.download.parallel = download->integer("parallel").value_or(config.download.parallel);
        config.download.timeout_seconds = download->integer("timeout").value_or(config.download.timeout_seconds);
        config.download.retry_attempts = download->integer("retry_attempts").value_or(config.download.retry_attempts);
        download->finish();
    }
    if (auto proxy = reader.map("proxy")) config.proxy = read_proxy(*proxy);
    if (auto ssl = reader.map("ssl")) config.tls = read_tls(*ssl, config.file);
    if (auto verify = reader.map("verify")) config.verify = read_verify(*verify, config.file);
    if (auto signing = reader.map("gpg")) config.signing = read_signing(*signing, config.file);
    if (auto metadata = reader.map("metadata")) config.metadata_compression = read_metadata(*metadata, config.metadata_compression);

    std::set<fs::path> visited{fs::weakly_canonical(config.file)};
    read_collections(reader, config, visited, 0);
    reader.finish();
    validate(config);
    return config;
}

fs::path discover_config_file(const std::optional<fs::path>& explicit_file) {
    if (explicit_file) {
        if (!fs::exists(*explicit_file)) throw Error::not_found("config file " + explicit_file->string() + " does not exist");
        return *explicit_file;
    }
    if (const char* from_environment = std::getenv("CHANTAL_CONFIG"); from_environment && *from_environment) {
        if (!fs::exists(from_environment))
            throw Error::not_found("config file " + std::string(from_environment) + " (from $CHANTAL_CONFIG) does not exist");
        return from_environment;
    }
    std::vector<fs::path> candidates{"/etc/chantal/config.yaml"};
    if (const char* home = std::getenv("HOME"); home && *home) candidates.push_back(fs::path(home) / ".config/chantal/config.yaml");
    candidates.push_back("config.yaml");
    std::string tried;
    for (const auto& candidate : candidates) {
        if (fs::exists(candidate)) return candidate;
        tried += (tried.empty() ? "" : ", ") + candidate.string();
    }
    throw Error::not_found("no config file found (use --config or $CHANTAL_CONFIG; tried " + tried + ")");
}

}  // namespace chantal
