// The export mark (export_marker.h): an xattr, or a file where there are none.
#include "core/export/export_marker.h"

#include <sys/xattr.h>

#include <cerrno>
#include <sstream>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/base/hash.h"

namespace chantal {
namespace {

constexpr const char* kAttribute = "user.chantal.export";
constexpr std::string_view kFormat = "chantal-export 1";

std::string encode(const ExportMarker& marker) {
    return std::string(kFormat) + "\n" + marker.tree + "\n" + marker.digest + "\n" + std::to_string(marker.files) + "\n";
}

std::optional<ExportMarker> decode(const std::string& text) {
    std::istringstream lines(text);
    std::string format, files;
    ExportMarker marker;
    if (!std::getline(lines, format) || format != kFormat) return std::nullopt;
    if (!std::getline(lines, marker.tree) || !std::getline(lines, marker.digest) || !std::getline(lines, files))
        return std::nullopt;
    try {
        marker.files = std::stoull(files);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return marker;
}

}  // namespace

struct ExportDigest::State {
    Hasher hasher{HashAlgorithm::sha256};
};

ExportDigest::ExportDigest() : state_(std::make_unique<State>()) { state_->hasher.update(kFormat); }
ExportDigest::~ExportDigest() = default;

void ExportDigest::add(std::string_view path, std::string_view sha256, std::uint64_t size) {
    const std::string line = "\n" + std::string(path) + '\0' + std::string(sha256) + '\0' + std::to_string(size);
    state_->hasher.update(line);
}

std::string ExportDigest::finish() { return state_->hasher.hex_digest(); }

std::optional<ExportMarker> read_export_marker(const std::filesystem::path& directory) {
    char buffer[4096];
    const ssize_t size = ::getxattr(directory.c_str(), kAttribute, buffer, sizeof buffer);
    if (size >= 0) return decode(std::string(buffer, static_cast<std::size_t>(size)));
    std::error_code error;
    const auto fallback = directory / kExportMarkerFile;
    if (!std::filesystem::is_regular_file(fallback, error)) return std::nullopt;
    try {
        return decode(read_file(fallback));
    } catch (const Error&) {
        return std::nullopt;
    }
}

void write_export_marker(const std::filesystem::path& directory, const ExportMarker& marker) {
    const std::string text = encode(marker);
    if (::setxattr(directory.c_str(), kAttribute, text.data(), text.size(), 0) == 0) return;
    if (errno != ENOTSUP) throw Error::io("cannot mark " + directory.string() + " as an export", errno);
    write_file_atomically(directory / kExportMarkerFile, text);
}

}  // namespace chantal
