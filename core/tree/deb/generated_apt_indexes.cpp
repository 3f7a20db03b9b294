#include "core/tree/deb/generated_apt_indexes.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/tree/generated_file_records.h"
#include "metadata/compression/compressing_writer.h"
#include "metadata/deb/packages_index.h"
#include "metadata/deb/pool_path.h"
#include "metadata/deb/release_file.h"

namespace chantal {
namespace {

// The settings a generated tree is made with: its repository's `apt:`, or
// defaults when no config was attached.
AptSettings settings_of(const TreeState& state) {
    if (state.apt) return *state.apt;
    AptSettings defaults;
    defaults.suite = defaults.codename = "stable";
    defaults.origin = "Chantal";
    defaults.label = state.ref.owner;
    return defaults;
}

struct StoredIndex {
    std::string path;  // below dists/<suite>/
    PoolEntry entry;
};

// The index text stored plain, gzip- and xz-compressed; the two
// compressions run on two threads (xz takes about twice gzip's time).
void store_index(const Pool& pool, const std::string& path, const std::string& text, std::vector<StoredIndex>& stored) {
    const std::string name = path.substr(path.rfind('/') + 1);
    stored.push_back({path, pool.add_bytes(text, name)});
    const auto compressed = [&](metadata::CompressionFormat format) {
        const std::string suffix(metadata::compression_suffix(format));
        PoolWriter writer = pool.writer(name + suffix);
        PoolWriterSink sink(writer);
        auto compressor = metadata::make_compressing_writer(format, sink);
        compressor->write(text.data(), text.size());
        const auto digests = compressor->finish();
        return StoredIndex{path + suffix, writer.commit(digests.compressed.sha256)};
    };
    auto xz = std::async(std::launch::async, compressed, metadata::CompressionFormat::xz);
    StoredIndex gzip = compressed(metadata::CompressionFormat::gzip);
    stored.push_back(std::move(gzip));
    stored.push_back(xz.get());
}

// Where apt fetches an index by its content when the Release says
// Acquire-By-Hash: "main/binary-amd64/Packages.xz" ->
// "main/binary-amd64/by-hash/SHA256/<sha256>".
std::string by_hash_path(const StoredIndex& index) {
    return index.path.substr(0, index.path.rfind('/') + 1) + "by-hash/SHA256/" + index.entry.sha256;
}

// "pool/<component>/..." gives the component; anything else the first configured one.
std::string component_of(std::string_view path, const AptSettings& settings) {
    if (const auto component = metadata::pool_path_component(path)) return std::string(*component);
    return settings.components.empty() ? std::string("main") : settings.components.front();
}

// The stanza with its Directory field's value replaced (a Sources stanza).
std::string rewrite_directory(std::string_view stanza, std::string_view directory) {
    std::string out;
    bool replaced = false;
    std::size_t at = 0;
    while (at < stanza.size()) {
        std::size_t end = stanza.find('\n', at);
        end = end == std::string_view::npos ? stanza.size() : end + 1;
        const std::string_view line = stanza.substr(at, end - at);
        if (line.starts_with("Directory:")) {
            out += "Directory: ";
            out += directory;
            out += '\n';
            replaced = true;
            // Continuation lines of the old value go with it.
            while (end < stanza.size() && (stanza[end] == ' ' || stanza[end] == '\t')) {
                const std::size_t next = stanza.find('\n', end);
                end = next == std::string_view::npos ? stanza.size() : next + 1;
            }
        } else {
            out += line;
        }
        at = end;
    }
    if (!replaced) out += "Directory: " + std::string(directory) + "\n";
    return out;
}

}  // namespace

std::string generated_apt_tree_digest(Database& database, const TreeContents& contents) {
    const TreeState& state = contents.state();
    if (!state.generated) throw Error::internal(state.ref.path() + " is a mirror tree");
    const AptSettings settings = settings_of(state);
    Hasher hasher(HashAlgorithm::sha256);
    hasher.update(kGeneratedAptIndexesVersion);
    if (!settings.by_hash) hasher.update("\nno by_hash");
    hasher.update("\ntimestamp " + std::to_string(state.timestamp) + "\nsuite " + settings.suite + "\ncodename " +
                  settings.codename + "\norigin " + settings.origin + "\nlabel " + settings.label + "\n");
    // Lines for settings left at their defaults are not written, so a tree
    // made before the setting existed keeps its digest.
    if (settings.not_automatic)
        hasher.update(settings.but_automatic_upgrades ? "not_automatic but_automatic_upgrades\n" : "not_automatic\n");
    if (settings.valid_until_days)
        hasher.update("valid_until_days " + std::to_string(*settings.valid_until_days) + "\n");
    for (const auto& component : settings.components) hasher.update("component " + component + "\n");
    for (const auto& architecture : settings.architectures) hasher.update("architecture " + architecture + "\n");
    add_packages_to_digest(hasher, database, contents);
    add_signer_to_digest(hasher, state);
    return hasher.hex_digest();
}

std::optional<GeneratedFiles> find_generated_apt_indexes(Database& database, const std::string& tree_digest) {
    return find_recorded_generated_files(database, tree_digest, "release");
}

GeneratedFiles ensure_generated_apt_indexes(Database& database, const Pool& pool, const TreeContents& contents,
                                            std::optional<std::string> tree_digest) {
    const TreeState& state = contents.state();
    const std::string digest = tree_digest ? *tree_digest : generated_apt_tree_digest(database, contents);
    if (auto found = find_generated_apt_indexes(database, digest)) return *found;
    const AptSettings settings = settings_of(state);

    std::vector<std::pair<std::string, std::int64_t>> packages;  // (path, package id) in path order
    contents.for_each_package(database,
                              [&](const TreePackageRow& package) { packages.emplace_back(package.path, package.package_id); });

    // Index text per "<component>/binary-<arch>/Packages" or "<component>/source/Sources".
    std::set<std::string> architectures;
    for (const auto& architecture : settings.architectures)
        if (architecture != "all" && architecture != "source") architectures.insert(architecture);
    std::map<std::string, std::string> indexes;
    std::vector<std::pair<std::string, std::string>> all_packages;  // (component, stanza) of Architecture: all
    bool sources = false;
    auto row = database.prepare(
        "SELECT m.primary_xml, p.arch FROM packages p JOIN package_metadata m ON m.package_id = p.id WHERE p.id = ?1");
    for (const auto& [path, package_id] : packages) {
        row.reset();
        row.bind(1, package_id);
        if (!row.step()) throw Error::corrupt("package row " + std::to_string(package_id) + " of " + path + " is missing");
        const std::string_view stanza = row.column_text_view(0);
        const std::string arch(row.column_text_view(1));
        const std::string component = component_of(path, settings);
        if (arch == "source") {
            if (!path.ends_with(".dsc")) continue;  // one stanza per source package, with its .dsc
            sources = true;
            auto& text = indexes[component + "/source/Sources"];
            if (!text.empty()) text += '\n';
            text += rewrite_directory(stanza, path.substr(0, path.rfind('/')));
            continue;
        }
        std::string rewritten = metadata::rewrite_filename(stanza, path);
        if (arch == "all") {
            all_packages.emplace_back(component, std::move(rewritten));
            continue;
        }
        architectures.insert(arch);
        auto& text = indexes[component + "/binary-" + arch + "/Packages"];
        if (!text.empty()) text += '\n';
        text += rewritten;
    }
    row.reset();  // end the read before the transaction below
    for (const auto& [component, stanza] : all_packages)
        for (const auto& architecture : architectures) {
            auto& text = indexes[component + "/binary-" + architecture + "/Packages"];
            if (!text.empty()) text += '\n';
            text += stanza;
        }
    std::set<std::string> components(settings.components.begin(), settings.components.end());
    for (const auto& [index, text] : indexes) components.insert(index.substr(0, index.find('/')));
    for (const auto& component : components) {
        for (const auto& architecture : architectures) indexes[component + "/binary-" + architecture + "/Packages"];
        if (sources) indexes[component + "/source/Sources"];
    }

    std::vector<StoredIndex> stored;
    for (const auto& [index, text] : indexes) store_index(pool, index, text, stored);

    metadata::ReleaseFile release;
    release.origin = settings.origin;
    release.label = settings.label;
    release.suite = settings.suite;
    release.codename = settings.codename;
    release.date = state.timestamp;
    release.acquire_by_hash = settings.by_hash;
    if (settings.valid_until_days)
        release.valid_until = state.timestamp + std::int64_t{*settings.valid_until_days} * 86400;
    release.not_automatic = settings.not_automatic;
    release.but_automatic_upgrades = settings.not_automatic && settings.but_automatic_upgrades;
    release.architectures.assign(architectures.begin(), architectures.end());
    release.components.assign(components.begin(), components.end());
    for (const auto& index : stored) release.files.push_back({index.path, index.entry.size, index.entry.sha256});
    const std::string release_text = metadata::write_release(release);
    const std::string directory = "dists/" + settings.suite + "/";
    const PoolEntry release_entry = pool.add_bytes(release_text, "Release");
    std::optional<PoolEntry> in_release, release_signature, public_key;
    if (const auto& signer = state.signer) {
        in_release = pool.add_bytes(signer->key->sign_clear(release_text), "InRelease");
        release_signature = pool.add_bytes(signer->key->sign_detached(release_text), "Release.gpg");
        public_key = pool.add_bytes(signer->key->armored_public_key(), signer->public_key_name);
    }

    Transaction transaction(database);
    GeneratedFileRecorder recorder(database, digest, state.timestamp);
    for (const auto& index : stored) {
        recorder.record("apt_index:" + index.path, directory + index.path, index.entry);
        if (settings.by_hash)
            recorder.record("apt_by_hash:" + index.path, directory + by_hash_path(index), index.entry);
    }
    if (in_release) {
        recorder.record("inrelease", directory + "InRelease", *in_release);
        recorder.record("release_signature", directory + "Release.gpg", *release_signature);
        recorder.record("public_key", state.signer->public_key_name, *public_key);
    }
    recorder.record("release", directory + "Release", release_entry);
    transaction.commit();
    // A concurrent generator may have recorded this digest first: serve its bytes.
    if (auto recorded = find_generated_apt_indexes(database, digest)) return *recorded;
    return recorder.sorted_files();
}

}  // namespace chantal
