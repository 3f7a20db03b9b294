// An APT Packages index (debian-repository-format): one deb822 stanza per
// binary package. The reader checks what sync relies on and keeps each
// stanza verbatim; the writer emits stored stanzas with Filename rewritten,
// for generated trees.
//
// Not thread-safe; one reader/writer per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "metadata/deb/deb822.h"
#include "metadata/deb/debian_version.h"

namespace chantal::metadata {

struct DebianPackage {
    std::string name;           // Package
    DebianVersion version;      // Version, split
    std::string version_text;   // Version as written
    std::string architecture;   // Architecture ("amd64", "all", ...)
    std::string filename;       // Filename: a clean path relative to the archive root
    std::uint64_t size = 0;     // Size, bytes
    std::string sha256;         // SHA256, lowercase hex
    std::string source;         // Source's package name (without "(version)"); Package when absent
    std::string section;        // "" when absent
    std::string priority;       // "" when absent
    std::string stanza;         // the stanza verbatim, ending in '\n'
    std::uint64_t line = 0;     // line of the stanza in the index, for messages
};

// Calls on_package for each stanza of a Packages index fed with feed(). The
// DebianPackage is reused between calls: valid during the call only; the
// callback may move fields out of it. Errors (Error::corrupt, naming the
// index, the line and the package when known): a stanza without Package,
// Version, Architecture, Filename, Size or SHA256; a version dpkg refuses;
// a Filename that is not a clean relative path (absolute, "..", "//",
// control characters); a bad Size or SHA256. Exceptions thrown by the
// callback propagate.
class PackagesIndexReader {
public:
    using Handler = std::function<void(DebianPackage&)>;
    PackagesIndexReader(std::string source_name, Handler on_package);

    void feed(std::string_view bytes);
    void finish();
    std::uint64_t packages_read() const { return reader_.stanzas_read(); }

private:
    void read_stanza(const Deb822Stanza& stanza);

    std::string source_name_;
    Handler on_package_;
    Deb822Reader reader_;
    Deb822Handler stanza_handler_;
    DebianPackage package_;
};

// The source package's name in a Source field ("hello-src (2.10-2)" gives
// "hello-src": the version is there only when it differs from the binary's).
std::string_view source_package_name(std::string_view source_field);

// The stanza with its Filename field's value replaced (the field stays where
// it was; continuation lines of the old value, if any, are dropped). A
// stanza without Filename gets one at its end.
std::string rewrite_filename(std::string_view stanza, std::string_view filename);

}  // namespace chantal::metadata
