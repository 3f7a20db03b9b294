// The generated-repodata overlay and whole-tree walks (tree_files.h).
#include "core/tree/tree_files.h"

#include <algorithm>

#include "core/base/error.h"

namespace chantal {
namespace {

constexpr std::string_view kRepodata = "repodata";

const GeneratedRepodata& require(const GeneratedRepodata* repodata, const TreeState& state) {
    if (!repodata) throw Error::internal("generated repodata of " + state.ref.path() + " was not provided");
    return *repodata;
}

std::string_view repodata_name(std::string_view path) { return path.substr(kRepodata.size() + 1); }

}  // namespace

bool needs_generated_repodata(const TreeState& state, std::string_view path) {
    return state.generated && (path == kRepodata || path.starts_with("repodata/"));
}

std::optional<std::vector<TreeEntry>> list_tree_directory(Database& database, const TreeContents& contents,
                                                          const GeneratedRepodata* repodata, std::string_view dir) {
    const auto& state = contents.state();
    if (!state.generated) return contents.list(database, dir);
    if (dir == kRepodata) {
        std::vector<TreeEntry> entries;
        for (const auto& file : require(repodata, state).files)
            entries.push_back({std::string(repodata_name(file.path)), false, file.file});
        return entries;
    }
    if (dir.starts_with("repodata/")) return std::nullopt;
    auto entries = contents.list(database, dir);
    if (entries && dir.empty()) {
        std::erase_if(*entries, [](const TreeEntry& entry) { return entry.name == kRepodata; });
        auto at = std::lower_bound(entries->begin(), entries->end(), kRepodata,
                                   [](const TreeEntry& entry, std::string_view name) { return entry.name < name; });
        entries->insert(at, TreeEntry{std::string(kRepodata), true, {}});
    }
    return entries;
}

bool list_tree_names(Database& database, const TreeContents& contents, const GeneratedRepodata* repodata,
                     std::string_view dir, const TreeContents::NameVisitor& visit) {
    // The overlay's directories (the root, repodata) are small: list them whole.
    if (contents.state().generated && (dir.empty() || needs_generated_repodata(contents.state(), dir))) {
        const auto entries = list_tree_directory(database, contents, repodata, dir);
        if (!entries) return false;
        for (const auto& entry : *entries) visit(entry.name, entry.directory);
        return true;
    }
    return contents.list_names(database, dir, visit);
}

std::optional<TreeEntry> lookup_tree_entry(Database& database, const TreeContents& contents,
                                           const GeneratedRepodata* repodata, std::string_view path) {
    const auto& state = contents.state();
    if (!state.generated) return contents.lookup(database, path);
    if (path == kRepodata) return TreeEntry{std::string(kRepodata), true, {}};
    if (path.starts_with("repodata/")) {
        const auto* file = require(repodata, state).find(path);
        if (!file) return std::nullopt;
        return TreeEntry{std::string(repodata_name(path)), false, file->file};
    }
    return contents.lookup(database, path);
}

void for_each_entry(Database& database, const Pool& pool, const TreeContents& contents, const TreeFileVisitor& visit) {
    contents.for_each_file(database, visit);
    if (!contents.state().generated) return;
    const auto repodata = ensure_generated_repodata(database, pool, contents);
    for (const auto& file : repodata.files) visit(file.path, file.file);
}

void for_each_entry(Database& database, const Pool& pool, const TreeAddress& ref, const TreeFileVisitor& visit) {
    auto state = resolve_tree(database, ref);
    if (!state) throw Error::not_found(ref.path() + " does not exist");
    const auto contents = open_tree_contents(database, std::move(*state));
    for_each_entry(database, pool, *contents, visit);
}

}  // namespace chantal
