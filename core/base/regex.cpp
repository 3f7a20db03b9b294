#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/base/regex.h"

#include <pcre2.h>

#include "core/base/error.h"

namespace chantal {
namespace {

struct MatchDataDeleter {
    void operator()(pcre2_match_data* data) const noexcept { pcre2_match_data_free(data); }
};

}  // namespace

void Regex::CodeDeleter::operator()(pcre2_real_code_8* code) const noexcept { pcre2_code_free(code); }

Regex::Regex(std::string pattern) : pattern_(std::move(pattern)) {
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    code_.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()), pattern_.size(), PCRE2_UTF,
                              &error_code, &error_offset, nullptr));
    if (!code_) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(error_code, message, sizeof message);
        throw Error::invalid_input("invalid regular expression '" + pattern_ + "': " +
                                   reinterpret_cast<const char*>(message) + " at offset " +
                                   std::to_string(error_offset));
    }
    pcre2_jit_compile(code_.get(), PCRE2_JIT_COMPLETE);  // optional speed-up; interpretation still works
}

Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

bool Regex::search(std::string_view subject) const {
    std::unique_ptr<pcre2_match_data, MatchDataDeleter> match(pcre2_match_data_create_from_pattern(code_.get(), nullptr));
    int result = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                             match.get(), nullptr);
    if (result >= 0) return true;
    if (result == PCRE2_ERROR_NOMATCH) return false;
    throw Error::internal("regular expression '" + pattern_ + "' failed with PCRE2 error " + std::to_string(result));
}

}  // namespace chantal
