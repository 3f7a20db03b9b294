// The mark an export leaves on its destination directory: which tree it is
// and a digest of its file list. It serves two purposes:
//  - a re-export of an unchanged tree is detected and skipped (nothing is
//    written, inodes and mtimes stay as they are);
//  - only a directory that carries the mark (or is empty) is ever replaced by
//    an export, so `--dest ~` cannot swap a home directory away.
//
// Stored as the extended attribute "user.chantal.export" of the tree's root
// directory, so the exported tree holds exactly the files of the mounted one.
// Where the file system has no user xattrs, a file ".chantal-export" in the
// root is used instead.
//
// Thread safety: free functions and a value type.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace chantal {

struct ExportMarker {
    std::string tree;    // "repos/ID/snapshots/N" (the tree's address path)
    std::string digest;  // ExportDigest::finish() of the exported file list
    std::uint64_t files = 0;
    bool operator==(const ExportMarker&) const = default;
};

// SHA-256 over every (path, sha256, size) of a tree, in walk order: equal
// digests mean the same paths with the same bytes.
class ExportDigest {
public:
    ExportDigest();
    ~ExportDigest();
    ExportDigest(const ExportDigest&) = delete;
    ExportDigest& operator=(const ExportDigest&) = delete;
    void add(std::string_view path, std::string_view sha256, std::uint64_t size);
    std::string finish();  // call once

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The file that holds the mark where there are no user xattrs: not one of
// the tree's files.
inline constexpr std::string_view kExportMarkerFile = ".chantal-export";

// The mark of `directory`; nullopt when it has none (or is not readable as one).
std::optional<ExportMarker> read_export_marker(const std::filesystem::path& directory);
// Marks `directory`. Throws Error::io.
void write_export_marker(const std::filesystem::path& directory, const ExportMarker& marker);

}  // namespace chantal
