// The generated-files overlay and whole-tree walks (tree_files.h).
#include "core/tree/tree_files.h"

#include <algorithm>

#include "core/base/error.h"

namespace chantal {
namespace {

const GeneratedFiles& require(const GeneratedFiles* generated, const TreeState& state) {
    if (!generated) throw Error::internal("generated index files of " + state.ref.path() + " were not provided");
    return *generated;
}

// The generated index directory of a generated tree: "repodata".
std::string_view index_directory(const TreeState& state) { return state.format->index_directory(); }

// True for a path strictly below the index directory.
bool below_index_directory(const TreeState& state, std::string_view path) {
    const std::string_view directory = index_directory(state);
    return path.size() > directory.size() && path.starts_with(directory) && path[directory.size()] == '/';
}

// The entries directly in `dir` (the index directory or a directory below
// it) among the generated files: files, and the directories their deeper
// paths pass through. Sorted by name; empty when none is there.
std::vector<TreeEntry> generated_directory(const GeneratedFiles& generated, std::string_view dir) {
    const std::string prefix = std::string(dir) + "/";
    std::vector<TreeEntry> entries;
    auto it = std::lower_bound(generated.files.begin(), generated.files.end(), prefix,
                               [](const GeneratedFile& file, const std::string& p) { return file.path < p; });
    for (; it != generated.files.end() && it->path.starts_with(prefix); ++it) {
        const std::string_view rest = std::string_view(it->path).substr(prefix.size());
        const auto slash = rest.find('/');
        if (slash == std::string_view::npos) entries.push_back({std::string(rest), false, it->file});
        else entries.push_back({std::string(rest.substr(0, slash)), true, {}});
    }
    std::sort(entries.begin(), entries.end(), [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const TreeEntry& a, const TreeEntry& b) { return a.name == b.name; }),
                  entries.end());
    return entries;
}

}  // namespace

const GeneratedFile* GeneratedFiles::find(std::string_view path) const {
    auto it = std::lower_bound(files.begin(), files.end(), path,
                               [](const GeneratedFile& file, std::string_view p) { return file.path < p; });
    return it != files.end() && it->path == path ? &*it : nullptr;
}

bool needs_generated_files(const TreeState& state, std::string_view path) {
    if (!state.generated) return false;
    if (path == index_directory(state) || below_index_directory(state, path)) return true;
    return state.signer && (path.empty() || path == state.signer->public_key_name);
}

std::optional<std::vector<TreeEntry>> list_tree_directory(Database& database, const TreeContents& contents,
                                                          const GeneratedFiles* generated, std::string_view dir) {
    const auto& state = contents.state();
    if (!state.generated) return contents.list(database, dir);
    const std::string_view directory = index_directory(state);
    if (dir == directory) return generated_directory(require(generated, state), dir);
    if (below_index_directory(state, dir)) {
        auto entries = generated_directory(require(generated, state), dir);
        if (entries.empty()) return std::nullopt;
        return entries;
    }
    auto entries = contents.list(database, dir);
    if (entries && dir.empty()) {
        const auto insert_sorted = [&](TreeEntry entry) {
            std::erase_if(*entries, [&](const TreeEntry& existing) { return existing.name == entry.name; });
            auto at = std::lower_bound(entries->begin(), entries->end(), entry.name,
                                       [](const TreeEntry& existing, std::string_view name) { return existing.name < name; });
            entries->insert(at, std::move(entry));
        };
        insert_sorted(TreeEntry{std::string(directory), true, {}});
        if (state.signer)
            if (const auto* key = require(generated, state).find(state.signer->public_key_name))
                insert_sorted(TreeEntry{key->path, false, key->file});
    }
    return entries;
}

bool list_tree_names(Database& database, const TreeContents& contents, const GeneratedFiles* generated,
                     std::string_view dir, const TreeContents::NameVisitor& visit) {
    // The overlay's directories (the root, the index directory) are small: list them whole.
    if (contents.state().generated && (dir.empty() || needs_generated_files(contents.state(), dir))) {
        const auto entries = list_tree_directory(database, contents, generated, dir);
        if (!entries) return false;
        for (const auto& entry : *entries) visit(entry.name, entry.directory, entry.content_id, entry.file.sha256);
        return true;
    }
    return contents.list_names(database, dir, visit);
}

std::optional<TreeEntry> lookup_tree_entry(Database& database, const TreeContents& contents,
                                           const GeneratedFiles* generated, std::string_view path) {
    const auto& state = contents.state();
    if (!state.generated) return contents.lookup(database, path);
    const std::string_view directory = index_directory(state);
    if (path == directory) return TreeEntry{std::string(directory), true, {}};
    if (below_index_directory(state, path)) {
        const std::string name(path.substr(path.rfind('/') + 1));
        if (const auto* file = require(generated, state).find(path)) return TreeEntry{name, false, file->file};
        // A directory of the generated files (APT: dists/<suite>/main/...).
        const auto& files = require(generated, state).files;
        const std::string prefix = std::string(path) + "/";
        auto it = std::lower_bound(files.begin(), files.end(), prefix,
                                   [](const GeneratedFile& file, const std::string& p) { return file.path < p; });
        if (it != files.end() && it->path.starts_with(prefix)) return TreeEntry{name, true, {}};
        return std::nullopt;
    }
    if (state.signer && path == state.signer->public_key_name)
        if (const auto* key = require(generated, state).find(path))
            return TreeEntry{key->path, false, key->file};
    return contents.lookup(database, path);
}

void for_each_entry(Database& database, const Pool& pool, const TreeContents& contents, const TreeFileVisitor& visit) {
    contents.for_each_file(database, visit);
    const TreeState& state = contents.state();
    if (!state.generated) return;
    const auto generated = state.format->ensure_generated_files(database, pool, contents);
    for (const auto& file : generated.files) visit(file.path, file.file);
}

void for_each_entry(Database& database, const Pool& pool, const TreeAddress& ref, TreeSigningKeys* signing,
                    const TreeFileVisitor& visit) {
    auto state = resolve_tree(database, ref);
    if (!state) throw Error::not_found(ref.path() + " does not exist");
    attach_generation_settings(*state, signing);
    const auto contents = open_tree_contents(database, std::move(*state));
    for_each_entry(database, pool, *contents, visit);
}

}  // namespace chantal
