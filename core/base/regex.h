// Regex: a compiled PCRE2 pattern (Perl/Python syntax, as Python Chantal's
// filter configs are written), JIT-compiled when the platform allows.
// Immutable after construction; search() is thread-safe (match data is per call).
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct pcre2_real_code_8;

namespace chantal {

class Regex {
public:
    // Throws Error::invalid_input "invalid regular expression '<p>': <why> at offset N".
    explicit Regex(std::string pattern);
    Regex(Regex&&) noexcept;
    Regex& operator=(Regex&&) noexcept;
    ~Regex();

    // True when the pattern matches anywhere in subject (like Python re.search).
    bool search(std::string_view subject) const;
    const std::string& pattern() const noexcept { return pattern_; }

private:
    struct CodeDeleter {
        void operator()(pcre2_real_code_8* code) const noexcept;
    };
    std::string pattern_;
    std::unique_ptr<pcre2_real_code_8, CodeDeleter> code_;
};

}  // namespace chantal
