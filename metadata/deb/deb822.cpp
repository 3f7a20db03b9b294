#include "metadata/deb/deb822.h"

#include <apt-pkg/tagfile.h>

#include <algorithm>
#include <cstring>

#include "core/base/error.h"

namespace chantal::metadata {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view left, std::string_view right) {
    return left.size() == right.size() &&
           std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) { return lower(a) == lower(b); });
}

// deb822 field names: printable US-ASCII except ':', not starting with '-' or '#'.
bool valid_field_name(std::string_view name) {
    if (name.empty() || name.front() == '-' || name.front() == '#') return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 127 && c != ':'; });
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool blanks_only(std::string_view line) { return std::all_of(line.begin(), line.end(), is_blank); }

std::string_view trim_trailing_blanks(std::string_view text) {
    while (!text.empty() && (is_blank(text.back()) || text.back() == '\n')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<std::string_view> Deb822Stanza::find(std::string_view name) const {
    for (const auto& field : fields)
        if (same_name(field.name, name)) return field.value;
    return std::nullopt;
}

Deb822Reader::Deb822Reader(std::string source_name, std::size_t max_stanza_bytes)
    : source_name_(std::move(source_name)), max_stanza_bytes_(max_stanza_bytes) {}

void Deb822Reader::feed(std::string_view bytes, const Deb822Handler& on_stanza) {
    if (std::memchr(bytes.data(), '\0', bytes.size()))
        throw Error::corrupt(source_name_ + ": NUL byte in deb822 data");
    if (!pending_carriage_return_ && !std::memchr(bytes.data(), '\r', bytes.size())) {
        pending_.append(bytes);
    } else {
        pending_.reserve(pending_.size() + bytes.size() + 1);
        for (char c : bytes) {
            if (pending_carriage_return_) {
                pending_carriage_return_ = false;
                if (c != '\n') pending_.push_back('\r');  // a lone '\r' stays data
            }
            if (c == '\r')
                pending_carriage_return_ = true;
            else
                pending_.push_back(c);
        }
    }
    read_complete_stanzas(false, on_stanza);
}

void Deb822Reader::finish(const Deb822Handler& on_stanza) {
    if (pending_carriage_return_) {
        pending_carriage_return_ = false;
        pending_.push_back('\r');
    }
    // The last stanza needs no empty line after it.
    pending_.append("\n\n");
    read_complete_stanzas(true, on_stanza);
}

void Deb822Reader::read_complete_stanzas(bool at_end, const Deb822Handler& on_stanza) {
    std::size_t position = 0;
    std::uint64_t line = line_;
    pkgTagSection section;
    while (position < pending_.size()) {
        // Blank lines between stanzas.
        const std::size_t line_end = pending_.find('\n', position);
        const std::string_view first_line(pending_.data() + position,
                                          (line_end == std::string::npos ? pending_.size() : line_end) - position);
        if (blanks_only(first_line)) {
            if (line_end == std::string::npos) {
                if (at_end) position = pending_.size();
                break;
            }
            position = line_end + 1;
            ++line;
            continue;
        }
        // The stanza ends at the first empty line (libapt-pkg's rule, which apt clients follow).
        std::size_t size = 0;
        const std::size_t empty_line = pending_.find("\n\n", position);
        if (section.Scan(pending_.data() + position, pending_.size() - position) && section.size() > 0) {
            size = section.size();
        } else if (empty_line != std::string::npos) {
            // libapt-pkg gave up on a malformed stanza: the checks in emit() say why.
            size = empty_line + 2 - position;
        } else if (at_end) {
            throw Error::corrupt(source_name_ + ": line " + std::to_string(line) + ": cannot find where the stanza ends");
        } else {
            if (pending_.size() - position > max_stanza_bytes_)
                throw Error::invalid_input(source_name_ + ": line " + std::to_string(line) + ": stanza larger than " +
                                           std::to_string(max_stanza_bytes_) + " bytes");
            break;
        }
        if (size > max_stanza_bytes_)
            throw Error::invalid_input(source_name_ + ": line " + std::to_string(line) + ": stanza larger than " +
                                       std::to_string(max_stanza_bytes_) + " bytes");
        std::string_view text(pending_.data() + position, size);
        while (text.size() >= 2 && text.back() == '\n' && text[text.size() - 2] == '\n') text.remove_suffix(1);
        line_ = line;
        emit(text, on_stanza);
        line += static_cast<std::uint64_t>(std::count(pending_.data() + position, pending_.data() + position + size, '\n'));
        position += size;
    }
    pending_.erase(0, position);
    line_ = line;
}

void Deb822Reader::emit(std::string_view text, const Deb822Handler& on_stanza) {
    Deb822Stanza stanza;
    stanza.line = line_;
    stanza.text = text;

    std::uint64_t line = line_;
    std::size_t position = 0;
    const char* value_start = nullptr;
    auto close_field = [&](std::size_t end) {
        if (!value_start) return;
        const std::string_view value(value_start, static_cast<std::size_t>(text.data() + end - value_start));
        stanza.fields.back().value = trim_trailing_blanks(value);
        value_start = nullptr;
    };
    auto fail = [&](const std::string& what) {
        throw Error::corrupt(source_name_ + ": line " + std::to_string(line) + ": " + what);
    };
    while (position < text.size()) {
        const std::size_t line_end = text.find('\n', position);
        const std::string_view current = text.substr(position, line_end - position);
        if (current.empty()) fail("empty line inside a stanza");
        if (is_blank(current.front())) {
            if (stanza.fields.empty()) fail("continuation line before any field");
            if (blanks_only(current)) fail("line of blanks inside a stanza");
        } else {
            close_field(position);
            const std::size_t colon = current.find(':');
            if (colon == std::string_view::npos) fail("not a 'Field: value' line");
            const std::string_view name = current.substr(0, colon);
            if (!valid_field_name(name)) fail("invalid field name '" + std::string(name) + "'");
            for (const auto& field : stanza.fields)
                if (same_name(field.name, name)) fail("field '" + std::string(name) + "' appears twice in the stanza");
            std::size_t start = position + colon + 1;
            while (start < line_end && is_blank(text[start])) ++start;
            stanza.fields.push_back({name, {}});
            value_start = text.data() + start;
        }
        position = line_end + 1;
        ++line;
    }
    close_field(text.size());
    ++stanzas_read_;
    on_stanza(stanza);
}

std::string_view deb822_field_first_line(std::string_view stanza, std::string_view name) {
    const std::string field = std::string(name) + ":";
    std::size_t at = stanza.starts_with(field) ? 0 : stanza.find("\n" + field);
    if (at == std::string_view::npos) return "";  // not a null view: bound to SQL, it is '' rather than NULL
    at += stanza[at] == '\n' ? field.size() + 1 : field.size();
    const std::size_t end = stanza.find('\n', at);
    std::string_view line = stanza.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    return line;
}

std::vector<std::string_view> deb822_words(std::string_view value) {
    std::vector<std::string_view> words;
    std::size_t position = 0;
    while (position < value.size()) {
        const std::size_t start = value.find_first_not_of(" \t\n", position);
        if (start == std::string_view::npos) break;
        std::size_t end = value.find_first_of(" \t\n", start);
        if (end == std::string_view::npos) end = value.size();
        words.push_back(value.substr(start, end - start));
        position = end;
    }
    return words;
}

void read_deb822(std::string_view text, const std::string& source_name, const Deb822Handler& on_stanza) {
    Deb822Reader reader(source_name);
    reader.feed(text, on_stanza);
    reader.finish(on_stanza);
}

}  // namespace chantal::metadata
