// Generation and reuse of a generated tree's repodata (generated_repodata.h).
#include "core/tree/rpm/generated_repodata.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/hash.h"
#include "core/tree/generated_file_records.h"
#include "core/tree/rpm/generated_repodata_extras.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/filelists.h"
#include "metadata/rpm/other.h"
#include "metadata/rpm/primary.h"
#include "metadata/rpm/repomd.h"
#include "metadata/rpm/xml_escape.h"

namespace chantal {
namespace {

// One compressed output file: pool writer <- compressor <- (the caller's XML writer).
struct CompressedOutput {
    CompressedOutput(const Pool& pool, const std::string& type, metadata::CompressionFormat format)
        : writer(pool.writer(type + ".xml" + std::string(metadata::compression_suffix(format)))), sink(writer),
          compressor(metadata::make_compressing_writer(format, sink)) {}
    PoolWriter writer;
    PoolWriterSink sink;
    std::unique_ptr<metadata::CompressingWriter> compressor;
};

struct PackageXml {
    std::string primary;
    std::string filelists;
    std::string other;
};

// A minimal per-package element for a package catalogued without one.
std::string empty_package_list_element(Statement& row) {
    std::string xml = "<package pkgid=\"";
    metadata::append_escaped_attribute(xml, row.column_text_view(8));
    xml += "\" name=\"";
    metadata::append_escaped_attribute(xml, row.column_text_view(3));
    xml += "\" arch=\"";
    metadata::append_escaped_attribute(xml, row.column_text_view(4));
    xml += "\">\n  <version epoch=\"" + std::to_string(row.column_int64(5)) + "\" ver=\"";
    metadata::append_escaped_attribute(xml, row.column_text_view(6));
    xml += "\" rel=\"";
    metadata::append_escaped_attribute(xml, row.column_text_view(7));
    xml += "\"/>\n</package>\n";
    return xml;
}

}  // namespace

std::string generated_tree_digest(Database& database, const TreeContents& contents) {
    if (!contents.state().generated) throw Error::internal(contents.state().ref.path() + " is a mirror tree");
    Hasher hasher(HashAlgorithm::sha256);
    hasher.update(kGeneratedRepodataVersion);
    hasher.update("\ntimestamp " + std::to_string(contents.state().timestamp) + "\n");
    add_packages_to_digest(hasher, database, contents);
    for (const auto& input : extra_repodata_inputs(database, contents)) hasher.update("extra " + input + "\n");
    // gzip, the default, adds no line: digests of gzip trees stay those of earlier versions.
    if (const auto format = generated_compression_format(contents.state()); format != metadata::CompressionFormat::gzip)
        hasher.update("compression " + std::string(metadata::compression_format_name(format)) + "\n");
    add_signer_to_digest(hasher, contents.state());
    return hasher.hex_digest();
}

std::optional<GeneratedFiles> find_generated_repodata(Database& database, const std::string& tree_digest) {
    return find_recorded_generated_files(database, tree_digest, "repomd");
}

GeneratedFiles ensure_generated_repodata(Database& database, const Pool& pool, const TreeContents& contents,
                                            std::optional<std::string> tree_digest) {
    const auto& state = contents.state();
    const std::string digest = tree_digest ? *tree_digest : generated_tree_digest(database, contents);
    if (auto found = find_generated_repodata(database, digest)) return *found;

    std::vector<std::pair<std::string, std::int64_t>> packages;  // (path, package id) in path order
    contents.for_each_package(database,
                              [&](const TreePackageRow& package) { packages.emplace_back(package.path, package.package_id); });

    const auto format = generated_compression_format(state);
    CompressedOutput primary_out(pool, "primary", format);
    CompressedOutput filelists_out(pool, "filelists", format);
    CompressedOutput other_out(pool, "other", format);
    metadata::PrimaryWriter primary(*primary_out.compressor, packages.size());
    metadata::FilelistsWriter filelists(*filelists_out.compressor, packages.size());
    metadata::OtherWriter other(*other_out.compressor, packages.size());
    auto row = database.prepare(
        "SELECT m.primary_xml, m.filelists_xml, m.other_xml, p.name, p.arch, p.epoch, p.version, p.release, p.checksum "
        "FROM packages p JOIN package_metadata m ON m.package_id = p.id WHERE p.id = ?1");
    for (const auto& [path, package_id] : packages) {
        row.reset();
        row.bind(1, package_id);
        if (!row.step()) throw Error::corrupt("package row " + std::to_string(package_id) + " of " + path + " is missing");
        primary.add(row.column_text_view(0), path);
        if (row.column_is_null(1)) filelists.add(empty_package_list_element(row));
        else filelists.add(row.column_text_view(1));
        if (row.column_is_null(2)) other.add(empty_package_list_element(row));
        else other.add(row.column_text_view(2));
    }
    // End this read before the transaction below: SQLite does not wait for
    // another writer's lock (busy handler) while the connection reads.
    row.reset();
    primary.finish();
    filelists.finish();
    other.finish();

    struct Produced {
        metadata::RepomdRecord record;
        PoolEntry entry;
    };
    std::vector<Produced> produced;
    const auto finish = [&](const std::string& type, CompressedOutput& out) {
        const auto digests = out.compressor->finish();
        auto record = generated_record(type, format, digests);
        record.timestamp = state.timestamp;
        produced.push_back({std::move(record), out.writer.commit(digests.compressed.sha256)});
    };
    finish("primary", primary_out);
    finish("filelists", filelists_out);
    finish("other", other_out);
    for (auto& extra : produce_extra_repodata(database, pool, contents)) {
        extra.record.timestamp = state.timestamp;
        PoolEntry entry;
        entry.sha256 = extra.file.sha256;
        entry.filename = extra.file.filename;
        entry.size = extra.file.size;
        produced.push_back({std::move(extra.record), std::move(entry)});
    }

    metadata::Repomd repomd;
    repomd.revision = std::to_string(state.timestamp);
    for (const auto& item : produced) repomd.records.push_back(item.record);
    const std::string repomd_bytes = metadata::write_repomd(repomd);
    const auto repomd_entry = pool.add_bytes(repomd_bytes, "repomd.xml");
    std::optional<PoolEntry> signature_entry;
    std::optional<PoolEntry> public_key_entry;
    if (const auto& signer = state.signer) {
        signature_entry = pool.add_bytes(signer->key->sign_detached(repomd_bytes), "repomd.xml.asc");
        public_key_entry = pool.add_bytes(signer->key->armored_public_key(), signer->public_key_name);
    }

    Transaction transaction(database);
    GeneratedFileRecorder recorder(database, digest, state.timestamp);
    for (const auto& item : produced) recorder.record(item.record.type, item.record.location_href, item.entry);
    if (signature_entry) {
        recorder.record("repomd_signature", "repodata/repomd.xml.asc", *signature_entry);
        recorder.record("public_key", state.signer->public_key_name, *public_key_entry);
    }
    recorder.record("repomd", "repodata/repomd.xml", repomd_entry);
    transaction.commit();
    // Another process may have recorded this digest first (INSERT OR
    // IGNORE kept its rows): serve its bytes, so that a signature, made
    // anew by each signer, is the same everywhere.
    if (auto stored = find_generated_repodata(database, digest)) return *stored;
    return recorder.sorted_files();
}

}  // namespace chantal
