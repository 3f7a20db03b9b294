// deb822 stanzas (Debian control data: Packages, Sources, Release), read
// from a stream fed in chunks. libapt-pkg's pkgTagSection finds where each
// stanza and field ends; this reader checks every line and keeps each
// stanza's bytes verbatim, so a tree can serve what upstream wrote.
//
// Not thread-safe; one reader per stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chantal::metadata {

struct Deb822Field {
    std::string_view name;   // as written ("Package")
    std::string_view value;  // after "Name:" and blanks, with continuation lines; no trailing newline
};

// One stanza. Its views point into the reader's buffer: valid during the
// callback that receives it only.
struct Deb822Stanza {
    std::string_view text;             // verbatim, each line ending in '\n'
    std::vector<Deb822Field> fields;   // in file order; names are unique (case-insensitively)
    std::uint64_t line = 0;            // line of its first field in the stream (1-based)

    // The value of a field, by name compared case-insensitively (deb822).
    std::optional<std::string_view> find(std::string_view name) const;
};

using Deb822Handler = std::function<void(const Deb822Stanza&)>;

// Errors (Error::corrupt, naming source_name and the line): a line that is
// neither "Name: value" nor a continuation (starting with a blank), a field
// name with characters deb822 does not allow or starting with '-' or '#', a
// field given twice in a stanza, a NUL byte, or a stanza larger than
// max_stanza_bytes (Error::invalid_input). Blank lines (empty or blanks
// only, with or without '\r') separate stanzas; "\r\n" line ends are read
// as '\n'. Exceptions thrown by the handler propagate.
class Deb822Reader {
public:
    explicit Deb822Reader(std::string source_name, std::size_t max_stanza_bytes = 16 << 20);

    // Appends bytes and calls on_stanza for each stanza they complete.
    void feed(std::string_view bytes, const Deb822Handler& on_stanza);
    // The end of the stream: the last stanza needs no blank line after it.
    void finish(const Deb822Handler& on_stanza);

    std::uint64_t stanzas_read() const { return stanzas_read_; }

private:
    void read_complete_stanzas(bool at_end, const Deb822Handler& on_stanza);
    void emit(std::string_view text, const Deb822Handler& on_stanza);

    std::string source_name_;
    std::size_t max_stanza_bytes_;
    std::string pending_;            // bytes not yet part of an emitted stanza ('\r' of "\r\n" dropped)
    bool pending_carriage_return_ = false;  // the last fed byte was a '\r' not yet known to end a line
    std::uint64_t line_ = 1;         // line number of pending_'s first byte
    std::uint64_t stanzas_read_ = 0;
};

// The whitespace-separated words of a field value ("Architectures: all
// amd64", a checksum line), as views into it.
std::vector<std::string_view> deb822_words(std::string_view value);

// The first line of a field's value in one stanza's verbatim text (a
// stored Packages or Sources stanza), blanks trimmed; "" when the field is
// absent (never a null view). The name is compared exactly, as upstream's
// tools write it.
std::string_view deb822_field_first_line(std::string_view stanza, std::string_view name);

// Reads a whole deb822 text (a Release file, a small index) at once.
void read_deb822(std::string_view text, const std::string& source_name, const Deb822Handler& on_stanza);

}  // namespace chantal::metadata
