// Pass-through of comps and modules into generated trees
// (generated_repodata_extras.h).
#include "core/tree/rpm/generated_repodata_extras.h"

#include "core/tree/errata_query.h"
#include "core/tree/rpm/repodata_merge.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/updateinfo.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "metadata/rpm/href.h"

namespace chantal {
namespace {

constexpr std::array<std::string_view, 3> kPassThroughTypes{"group", "group_gz", "modules"};

struct PassThrough {
    std::string type;
    TreeMetadataRow row;
    std::optional<TreeMetadataRow> repomd;  // the same source's upstream repomd.xml
};

// For each pass-through type, the first source (priority order) that has it.
std::vector<PassThrough> pass_throughs(Database& database, const TreeContents& contents) {
    std::vector<PassThrough> result;
    const auto sources = contents.metadata_rows(database);
    for (const auto type : kPassThroughTypes) {
        for (const auto& rows : sources) {
            const TreeMetadataRow* found = nullptr;
            const TreeMetadataRow* repomd = nullptr;
            for (const auto& row : rows) {
                if (row.metadata_type == type && !found) found = &row;
                if (row.metadata_type == "repomd") repomd = &row;
            }
            if (!found) continue;
            result.push_back({std::string(type), *found, repomd ? std::optional(*repomd) : std::nullopt});
            break;
        }
    }
    return result;
}

// "0123abcd...-comps.xml" -> "comps.xml": upstream's name without its own
// checksum prefix.
std::string strip_checksum_prefix(std::string_view name) {
    const auto dash = name.find('-');
    if (dash != std::string_view::npos && dash >= 32 &&
        std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dash),
                    [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }))
        return std::string(name.substr(dash + 1));
    return std::string(name);
}

enum class MergeKind { comps, modules };
const char* merge_kind_name(MergeKind kind) { return kind == MergeKind::comps ? "comps" : "modules"; }

// Each source's comps (plain "group" preferred over "group_gz") or modules
// file, in source order; merging applies when there are two or more.
std::vector<TreeMetadataRow> merge_sources(Database& database, const TreeContents& contents, MergeKind kind) {
    std::vector<TreeMetadataRow> files;
    for (const auto& rows : contents.metadata_rows(database)) {
        const TreeMetadataRow* chosen = nullptr;
        for (const auto& row : rows) {
            if (kind == MergeKind::modules && row.metadata_type == "modules") chosen = &row;
            if (kind == MergeKind::comps && row.metadata_type == "group") chosen = &row;
            if (kind == MergeKind::comps && row.metadata_type == "group_gz" && !chosen) chosen = &row;
        }
        if (chosen) files.push_back(*chosen);
    }
    if (files.size() < 2) files.clear();
    return files;
}

std::string decompressed_pool_file(const Pool& pool, const TreeMetadataRow& row) {
    const std::string bytes = read_file(pool.path_for(row.file.sha256, row.file.filename));
    metadata::MemorySource source(bytes, row.path);
    metadata::DecompressingReader input(source, 1ULL << 32);
    return input.read_all();
}

// Stores one generated file (gzip-compressed when compress) and its repomd record.
ExtraRepodataFile store_generated(const Pool& pool, const std::string& type, const std::string& file_name,
                                  const std::string& text, bool compress) {
    std::string bytes = text;
    std::optional<metadata::RepomdChecksum> open_checksum;
    std::optional<std::uint64_t> open_size;
    if (compress) {
        bytes.clear();
        metadata::StringSink sink(bytes);
        metadata::GzipWriter gzip(sink);
        gzip.write(text);
        const auto digests = gzip.finish();
        open_checksum = metadata::RepomdChecksum{HashAlgorithm::sha256, digests.uncompressed.sha256};
        open_size = digests.uncompressed.size;
    }
    const std::string sha256 = sha256_hex(bytes);
    const std::string name = sha256 + "-" + file_name + (compress ? ".gz" : "");
    const PoolEntry entry = pool.add_bytes(bytes, name);
    ExtraRepodataFile extra;
    extra.file = PoolFile{entry.sha256, entry.filename, entry.size};
    extra.record.type = type;
    extra.record.location_href = "repodata/" + name;
    extra.record.checksum = {HashAlgorithm::sha256, sha256};
    extra.record.size = bytes.size();
    extra.record.open_checksum = open_checksum;
    extra.record.open_size = open_size;
    return extra;
}

// The merged comps (as group and group_gz) or modules of a view whose
// members carry more than one; empty when there is nothing to merge or a
// member's file is one the safe readers refuse (a comps file with a
// DOCTYPE, bad gzip): then the first member's passes through. A pool file
// that cannot be read, or a full pool, is an error (io), never "absent":
// the result is kept under the tree's digest and must not depend on it.
std::vector<ExtraRepodataFile> merged_files(Database& database, const Pool& pool, const TreeContents& contents,
                                            MergeKind kind) {
    const auto sources = merge_sources(database, contents, kind);
    if (sources.empty()) return {};
    std::string merged;
    try {
        std::vector<std::string> texts;
        std::vector<std::string> names;
        for (const auto& row : sources) {
            texts.push_back(decompressed_pool_file(pool, row));
            names.push_back(row.path);
        }
        merged = kind == MergeKind::modules ? merge_modules(texts) : merge_comps(texts, names);
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::io || error.kind() == ErrorKind::internal) throw;
        return {};
    }
    if (kind == MergeKind::modules) return {store_generated(pool, "modules", "modules.yaml", merged, true)};
    return {store_generated(pool, "group", "comps.xml", merged, false),
            store_generated(pool, "group_gz", "comps.xml", merged, true)};
}

// The updateinfo files of the tree's sources, in source order: with the
// tree's package set (already part of the tree digest) they determine the
// generated updateinfo.
std::vector<std::string> updateinfo_inputs(Database& database, const TreeContents& contents) {
    std::vector<std::string> inputs;
    for (const auto& rows : contents.metadata_rows(database))
        for (const auto& row : rows)
            if (row.metadata_type == "updateinfo") inputs.push_back("updateinfo " + row.file.sha256);
    return inputs;
}

// updateinfo.xml.gz restricted to the advisories that name a package of the
// tree, package lists pruned to the tree (design.md §2); nullopt when none.
std::optional<ExtraRepodataFile> produce_updateinfo(Database& database, const Pool& pool, const TreeContents& contents) {
    if (!has_updateinfo(database, contents)) return std::nullopt;
    const auto keys = tree_package_keys(database, contents);
    const std::unordered_set<std::string> in_tree(keys.begin(), keys.end());
    const auto advisories = tree_advisories(database, contents, in_tree);
    if (advisories.empty()) return std::nullopt;
    auto keep = [&](const metadata::AdvisoryPackage& package) {
        return in_tree.count(package.name + "|" + std::to_string(package.epoch) + "|" + package.version + "|" +
                             package.release + "|" + package.arch) > 0;
    };
    std::string compressed;
    metadata::StringSink sink(compressed);
    const auto format = generated_compression_format(contents.state());
    const auto compressor = metadata::make_compressing_writer(format, sink);
    metadata::UpdateinfoWriter writer(*compressor);
    for (const auto& advisory : advisories) writer.add(advisory_update_xml(database, advisory.row), keep);
    writer.finish();
    if (writer.written() == 0) return std::nullopt;
    ExtraRepodataFile extra;
    extra.record = generated_record("updateinfo", format, compressor->finish());
    const PoolEntry entry = pool.add_bytes(compressed, std::string(metadata::href_file_name(extra.record.location_href)));
    extra.file = PoolFile{entry.sha256, entry.filename, entry.size};
    return extra;
}

}  // namespace

metadata::CompressionFormat generated_compression_format(const TreeState& state) {
    switch (state.metadata_compression) {
        case MetadataCompression::automatic:
        case MetadataCompression::gzip: return metadata::CompressionFormat::gzip;
        case MetadataCompression::zstandard: return metadata::CompressionFormat::zstd;
        case MetadataCompression::bzip2: return metadata::CompressionFormat::bzip2;
        case MetadataCompression::none: return metadata::CompressionFormat::plain;
    }
    return metadata::CompressionFormat::gzip;
}

metadata::RepomdRecord generated_record(const std::string& type, metadata::CompressionFormat format,
                                        const metadata::GzipDigests& digests) {
    metadata::RepomdRecord record;
    record.type = type;
    record.location_href = metadata::checksum_prefixed_href(digests.compressed.sha256, type,
                                                            ".xml" + std::string(metadata::compression_suffix(format)));
    record.checksum = {HashAlgorithm::sha256, digests.compressed.sha256};
    record.size = digests.compressed.size;
    if (format != metadata::CompressionFormat::plain) {
        record.open_checksum = metadata::RepomdChecksum{HashAlgorithm::sha256, digests.uncompressed.sha256};
        record.open_size = digests.uncompressed.size;
    }
    return record;
}

std::vector<std::string> extra_repodata_inputs(Database& database, const TreeContents& contents) {
    std::vector<std::string> inputs;
    for (const auto& pass : pass_throughs(database, contents))
        inputs.push_back(pass.type + " " + pass.row.file.sha256 + " " + pass.row.path + " " +
                         (pass.repomd ? pass.repomd->file.sha256 : std::string("-")));
    // Merged comps/modules of views depend on every member's files.
    for (const auto& kind : {MergeKind::comps, MergeKind::modules})
        for (const auto& row : merge_sources(database, contents, kind))
            inputs.push_back(std::string("merge ") + merge_kind_name(kind) + " " + row.file.sha256);
    for (auto& input : updateinfo_inputs(database, contents)) inputs.push_back(std::move(input));
    return inputs;
}

std::vector<ExtraRepodataFile> produce_extra_repodata(Database& database, const Pool& pool,
                                                      const TreeContents& contents) {
    std::vector<ExtraRepodataFile> files = merged_files(database, pool, contents, MergeKind::comps);
    const bool comps_merged = !files.empty();
    auto merged_modules = merged_files(database, pool, contents, MergeKind::modules);
    const bool modules_merged = !merged_modules.empty();
    for (auto& file : merged_modules) files.push_back(std::move(file));
    for (const auto& pass : pass_throughs(database, contents)) {
        if (comps_merged && (pass.type == "group" || pass.type == "group_gz")) continue;
        if (modules_merged && pass.type == "modules") continue;
        ExtraRepodataFile extra;
        extra.file = pass.row.file;
        auto& record = extra.record;
        record.type = pass.type;
        record.location_href = "repodata/" + pass.row.file.sha256 + "-" +
                               strip_checksum_prefix(metadata::href_file_name(pass.row.path));
        record.checksum = {HashAlgorithm::sha256, pass.row.file.sha256};
        record.size = pass.row.file.size;
        if (pass.repomd) {
            // Keep upstream's open-checksum/open-size: they describe the same bytes.
            const auto text = read_file(pool.path_for(pass.repomd->file.sha256, pass.repomd->file.filename));
            const auto upstream = metadata::parse_repomd(text, pass.repomd->path);
            if (const auto* original = upstream.find(pass.type)) {
                record.open_checksum = original->open_checksum;
                record.open_size = original->open_size;
            }
        }
        files.push_back(std::move(extra));
    }
    if (auto updateinfo = produce_updateinfo(database, pool, contents)) files.push_back(std::move(*updateinfo));
    return files;
}

}  // namespace chantal
