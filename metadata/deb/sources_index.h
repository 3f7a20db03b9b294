// An APT Sources index: one deb822 stanza per source package, listing its
// files (.dsc, .orig.tar.*, .debian.tar.* ...) in a Directory of the archive.
//
// Not thread-safe; one reader per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/deb/deb822.h"
#include "metadata/deb/debian_version.h"

namespace chantal::metadata {

struct SourceFile {
    std::string name;        // a plain file name (no '/')
    std::uint64_t size = 0;  // bytes
    std::string sha256;      // lowercase hex
};

struct DebianSource {
    std::string name;            // Package (the source package's name)
    DebianVersion version;
    std::string version_text;    // Version as written
    std::string directory;       // Directory: a clean path relative to the archive root
    std::vector<SourceFile> files;  // from Checksums-Sha256, in index order
    std::string stanza;          // verbatim, ending in '\n'
    std::uint64_t line = 0;      // line of the stanza in the index
};

// Calls on_source for each stanza of a Sources index. The DebianSource is
// reused between calls (valid during the call). Errors (Error::corrupt,
// naming the index, the line and the source package): a stanza without
// Package, Version, Directory or Checksums-Sha256; a version dpkg refuses;
// a Directory that is not a clean relative path; a file line that is not
// "<sha256> <size> <name>" or whose name is not a plain file name; a file
// listed twice.
class SourcesIndexReader {
public:
    using Handler = std::function<void(DebianSource&)>;
    SourcesIndexReader(std::string source_name, Handler on_source);

    void feed(std::string_view bytes);
    void finish();

private:
    void read_stanza(const Deb822Stanza& stanza);

    std::string source_name_;
    Handler on_source_;
    Deb822Reader reader_;
    Deb822Handler stanza_handler_;
    DebianSource source_;
};

}  // namespace chantal::metadata
