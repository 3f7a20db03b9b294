#include "core/export/published_trees.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "core/base/error.h"
#include "core/export/export_staging.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;

// One directory name of a tree path: not empty, no '/', not "." or "..".
void require_one_name(const std::string& name, const char* what) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos)
        throw Error::invalid_input(std::string(what) + " '" + name + "' is not a directory name");
}

std::vector<std::string> subdirectory_names(const fs::path& directory) {
    std::vector<std::string> names;
    std::error_code error;
    fs::directory_iterator entries(directory, error);
    if (error == std::errc::no_such_file_or_directory || error == std::errc::not_a_directory) return names;
    if (error) throw Error::io("cannot read " + directory.string(), error.value());
    for (const auto& entry : entries) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(".")) continue;  // staging leftovers of a publish in progress
        if (entry.is_directory(error) && !entry.is_symlink(error)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::uint64_t apparent_size(const fs::path& directory) {
    std::uint64_t bytes = 0;
    std::error_code error;
    for (fs::recursive_directory_iterator walk(directory, error), end; !error && walk != end; walk.increment(error)) {
        if (walk.depth() == 0 && walk->path().filename().string() == kExportMarkerFile) continue;
        if (walk->is_regular_file(error) && !walk->is_symlink(error)) bytes += walk->file_size(error);
    }
    if (error) throw Error::io("cannot read " + directory.string(), error.value());
    return bytes;
}

// The published tree at root / tree.path(), when it is one.
std::optional<PublishedTree> published_tree_at(const fs::path& root, const TreeAddress& tree) {
    const fs::path directory = root / tree.path();
    auto marker = read_export_marker(directory);
    if (!marker || marker->tree != tree.path()) return std::nullopt;
    struct stat status {};
    if (::lstat(directory.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) return std::nullopt;
    return PublishedTree{tree, directory, *marker, static_cast<std::int64_t>(status.st_ctim.tv_sec), 0};
}

void add_owner_trees(const fs::path& root, bool views, const std::string& owner, std::vector<PublishedTree>& into) {
    const fs::path owner_directory = root / (views ? "views" : "repos") / owner;
    auto address = [&](const std::string& snapshot) {
        return views ? TreeAddress::of_view(owner, snapshot) : TreeAddress::of_repository(owner, snapshot);
    };
    if (auto latest = published_tree_at(root, address(""))) into.push_back(std::move(*latest));
    for (const auto& name : subdirectory_names(owner_directory / "snapshots"))
        if (name != kLatestName)
            if (auto snapshot = published_tree_at(root, address(name))) into.push_back(std::move(*snapshot));
}

// Removes each directory from `directory` up to (not including) root while it is empty.
void remove_empty_parents(const fs::path& root, fs::path directory) {
    while (directory != root && directory.has_parent_path() && directory.string().size() > root.string().size()) {
        if (::rmdir(directory.c_str()) != 0) return;  // not empty, or gone: stop
        directory = directory.parent_path();
    }
}

}  // namespace

std::vector<PublishedTree> list_published_trees(const fs::path& root) {
    std::vector<PublishedTree> trees;
    for (const bool views : {false, true})
        for (const auto& owner : subdirectory_names(root / (views ? "views" : "repos")))
            add_owner_trees(root, views, owner, trees);
    for (auto& tree : trees) tree.bytes = apparent_size(tree.directory);
    std::sort(trees.begin(), trees.end(),
              [](const PublishedTree& a, const PublishedTree& b) { return a.tree.path() < b.tree.path(); });
    return trees;
}

PublishedTree unpublish_tree(const fs::path& root, const TreeAddress& tree) {
    require_one_name(tree.owner, tree.is_view() ? "view" : "repository id");
    if (!tree.is_latest()) require_one_name(tree.snapshot, "snapshot");
    const fs::path absolute_root = fs::absolute(root).lexically_normal();
    const fs::path directory = absolute_root / tree.path();
    std::error_code error;
    const auto status = fs::symlink_status(directory, error);
    if (error == std::errc::no_such_file_or_directory || status.type() == fs::file_type::not_found)
        throw Error::not_found(tree.describe() + " is not published (no " + directory.string() + ")");
    if (error) throw Error::io("cannot read " + directory.string(), error.value());

    ExportStaging lock(directory);  // waits for a publish into the same parent
    const auto published = published_tree_at(absolute_root, tree);
    if (!published) {
        const auto marker = read_export_marker(directory);
        throw Error::conflict(directory.string() + " was not made by chantal publish for " + tree.describe() +
                              (marker ? " (it is marked as " + marker->tree + ")" : " (it carries no export mark)") +
                              "; left as it is");
    }
    PublishedTree removed = *published;
    removed.bytes = apparent_size(directory);
    lock.remove_destination();
    remove_empty_parents(absolute_root, directory.parent_path());
    return removed;
}

}  // namespace chantal
