// Pass-through of comps and modules into generated trees
// (generated_repodata_extras.h).
#include "core/generated_repodata_extras.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"
#include "core/file_util.h"
#include "metadata/href.h"

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

}  // namespace

std::vector<std::string> extra_repodata_inputs(Database& database, const TreeContents& contents) {
    std::vector<std::string> inputs;
    for (const auto& pass : pass_throughs(database, contents))
        inputs.push_back(pass.type + " " + pass.row.file.sha256 + " " + pass.row.path + " " +
                         (pass.repomd ? pass.repomd->file.sha256 : std::string("-")));
    return inputs;
}

std::vector<ExtraRepodataFile> produce_extra_repodata(Database& database, const Pool& pool,
                                                      const TreeContents& contents) {
    std::vector<ExtraRepodataFile> files;
    for (const auto& pass : pass_throughs(database, contents)) {
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
    return files;
}

}  // namespace chantal
