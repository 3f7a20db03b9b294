// .treeinfo: the INI file (productmd's "treeinfo" format) at the root of an
// installer tree (RHEL, Rocky, Alma, Fedora, CentOS Stream BaseOS trees). It
// names the installer's files — kernel, initrd, install.img, boot images —
// in its [checksums] section ("images/pxeboot/vmlinuz = sha256:HEX") and
// where each variant's repository lies ([variant-ID] repository/packages).
//
// The reader is small and strict, because the text comes from upstream and
// its paths become tree paths:
//   - lines are "[section]", "key = value", blank, or comments ('#' or ';'
//     first); a continuation line (leading white space), a key outside a
//     section, a repeated section or a repeated key in one section is an
//     error;
//   - every [checksums] key must be a clean relative path
//     (chantal::is_clean_relative_path: no "../", no leading '/', no empty
//     segment) other than ".treeinfo" itself, and every value
//     "sha256:<64 hex digits>";
//   - no NUL or other control byte but tab; at most kMaximumTreeinfoSize bytes.
// Errors are chantal::Error (invalid_input) naming the file, the line and,
// for a refused path, the path.
//
// Why not a library: productmd (the format's own reader) is Python; GLib's
// GKeyFile reads another INI dialect (escape sequences, locale keys, list
// separators) and would accept lines configparser writers never produce.
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chantal::metadata {

inline constexpr std::uint64_t kMaximumTreeinfoSize = 1ULL << 20;  // bytes; real ones are about 2 KiB

// One file the installer tree lists under [checksums].
struct TreeinfoFile {
    std::string path;    // clean relative path inside the tree: "images/pxeboot/vmlinuz"
    std::string sha256;  // lowercase hex
};

// One [variant-ID] section: where that variant's repository and packages are,
// relative to the tree root ("." is the root itself). Absent keys stay nullopt.
struct TreeinfoVariant {
    std::string id;  // the section name after "variant-"
    std::optional<std::string> repository;
    std::optional<std::string> packages;
};

struct Treeinfo {
    std::vector<TreeinfoFile> files;        // in the order [checksums] lists them
    std::vector<TreeinfoVariant> variants;  // in file order
};

// Reads a .treeinfo. `name` names the file in messages ("rocky9: .treeinfo").
// Throws chantal::Error (invalid_input) on anything the rules above refuse.
Treeinfo parse_treeinfo(std::string_view text, std::string_view name);

// True when a generated tree (repodata/ at its root, packages below
// Packages/) is where every variant says its repository and packages are:
// `repository` "." (or absent) and `packages` "Packages" (or absent). Then
// the upstream .treeinfo is true of a generated tree byte for byte.
bool fits_generated_layout(const Treeinfo& treeinfo);

}  // namespace chantal::metadata
