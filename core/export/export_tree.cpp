// Export of a tree as a static directory (export_tree.h).
#include "core/export/export_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/unique_fd.h"
#include "core/export/export_marker.h"
#include "core/export/export_staging.h"
#include "core/tree/tree_files.h"

namespace chantal {
namespace {

struct ExportEntry {
    std::string path;
    PoolFile file;
};

// A tree path is relative, without empty, "." or ".." components: it stays
// inside the destination.
bool is_safe_tree_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const auto part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

std::vector<ExportEntry> list_entries(Database& database, const Pool& pool, const TreeAddress& tree,
                                      TreeSigningKeys* signing) {
    std::vector<ExportEntry> entries;
    for_each_entry(database, pool, tree, signing, [&](const std::string& path, const PoolFile& file) {
        if (!is_safe_tree_path(path)) throw Error::corrupt(tree.path() + ": refusing to export unsafe path '" + path + "'");
        entries.push_back({path, file});
    });
    return entries;
}

enum class DestinationState { absent, empty, export_of_this_tree, other_export, foreign };

bool directory_is_empty(const std::filesystem::path& directory) {
    std::error_code error;
    std::filesystem::directory_iterator it(directory, error);
    if (error) throw Error::io("cannot read " + directory.string(), error.value());
    return it == std::filesystem::directory_iterator();
}

// Every file of the list is in `root` as a regular file of the right size.
bool all_files_present(const std::filesystem::path& root, const std::vector<ExportEntry>& entries) {
    struct stat info {};
    for (const auto& entry : entries) {
        const auto path = root / entry.path;
        if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
            static_cast<std::uint64_t>(info.st_size) != entry.file.size)
            return false;
    }
    return true;
}

DestinationState inspect_destination(const std::filesystem::path& destination, const ExportMarker& wanted,
                                     const std::vector<ExportEntry>& entries) {
    struct stat info {};
    if (::lstat(destination.c_str(), &info) != 0) {
        if (errno == ENOENT) return DestinationState::absent;
        throw Error::io("cannot stat " + destination.string(), errno);
    }
    if (!S_ISDIR(info.st_mode)) return DestinationState::foreign;
    const auto marker = read_export_marker(destination);
    if (!marker) return directory_is_empty(destination) ? DestinationState::empty : DestinationState::foreign;
    if (*marker == wanted && all_files_present(destination, entries)) return DestinationState::export_of_this_tree;
    return DestinationState::other_export;
}

// mkdir -p of `relative` below root, remembering what exists.
void ensure_directory(const std::filesystem::path& root, const std::string& relative,
                      std::unordered_set<std::string>& made) {
    if (relative.empty() || made.contains(relative)) return;
    const auto slash = relative.rfind('/');
    if (slash != std::string::npos) ensure_directory(root, relative.substr(0, slash), made);
    const auto path = root / relative;
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) throw Error::io("cannot create " + path.string(), errno);
    made.insert(relative);
}

// Links are directory entries: fsync of every directory made is enough
// (a handful per tree), and leaves other writers' dirty data on the file
// system alone. Copied bytes need a sync of their own: one syncfs instead of
// an fsync per file.
void make_durable(const std::filesystem::path& root, const std::unordered_set<std::string>& directories, bool copied) {
    if (copied) {
        UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!fd || ::syncfs(fd.get()) != 0) throw Error::io("cannot sync " + root.string(), errno);
        return;
    }
    for (const auto& directory : directories) fsync_directory(root / directory);
}

}  // namespace

ExportResult export_tree(Database& database, const Pool& pool, const TreeAddress& tree,
                         const std::filesystem::path& destination, const ExportOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    ExportResult result;
    result.tree = tree.path();

    const auto entries = list_entries(database, pool, tree, options.signing);
    ExportDigest digest;
    for (const auto& entry : entries) {
        digest.add(entry.path, entry.file.sha256, entry.file.size);
        result.bytes += entry.file.size;
    }
    result.files = entries.size();
    result.digest = digest.finish();
    const ExportMarker marker{result.tree, result.digest, result.files};

    ExportStaging staging(destination);
    result.destination = staging.destination();
    switch (inspect_destination(result.destination, marker, entries)) {
        case DestinationState::export_of_this_tree:
            result.unchanged = true;
            result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return result;
        case DestinationState::foreign:
            throw Error::conflict(result.destination.string() +
                                  " exists and is not a Chantal export (nor an empty directory); remove it or choose "
                                  "another destination");
        case DestinationState::absent:
        case DestinationState::empty:
        case DestinationState::other_export:
            break;
    }

    const auto& root = staging.directory();
    FilePlacer placer(options.link);
    std::unordered_set<std::string> directories;
    ExportProgress progress{0, result.files, 0, result.bytes};
    for (const auto& entry : entries) {
        const auto slash = entry.path.rfind('/');
        if (slash != std::string::npos) ensure_directory(root, entry.path.substr(0, slash), directories);
        const auto placement = placer.place(pool.path_for(entry.file.sha256, entry.file.filename), root / entry.path);
        result.placements.add(placement, entry.file.size);
        ++progress.files_done;
        progress.bytes_done += entry.file.size;
        if (options.on_progress) options.on_progress(progress);
    }
    write_export_marker(root, marker);
    make_durable(root, directories, result.placements.copied_files() > 0);
    result.replaced = staging.commit();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace chantal
