#include "metadata/rpm/evr.h"

#include "metadata/rpm/number_parse.h"

namespace chantal::metadata {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

int sign(int value) { return value < 0 ? -1 : value > 0 ? 1 : 0; }

}  // namespace

int rpmvercmp(std::string_view left, std::string_view right) {
    if (left == right) return 0;
    std::size_t a = 0, b = 0;
    const std::size_t a_end = left.size(), b_end = right.size();
    while (a < a_end || b < b_end) {
        // Separators (anything but letters, digits, '~' and '^') are skipped.
        while (a < a_end && !is_alnum(left[a]) && left[a] != '~' && left[a] != '^') ++a;
        while (b < b_end && !is_alnum(right[b]) && right[b] != '~' && right[b] != '^') ++b;

        // '~' sorts before everything, even the end of the string.
        bool a_tilde = a < a_end && left[a] == '~';
        bool b_tilde = b < b_end && right[b] == '~';
        if (a_tilde || b_tilde) {
            if (!a_tilde) return 1;
            if (!b_tilde) return -1;
            ++a;
            ++b;
            continue;
        }
        // '^' sorts after the end of the string but before anything else.
        bool a_caret = a < a_end && left[a] == '^';
        bool b_caret = b < b_end && right[b] == '^';
        if (a_caret || b_caret) {
            if (a == a_end) return -1;
            if (b == b_end) return 1;
            if (!a_caret) return 1;
            if (!b_caret) return -1;
            ++a;
            ++b;
            continue;
        }
        if (a == a_end || b == b_end) break;

        // Take the next run of the same kind from both sides.
        std::size_t a_run = a, b_run = b;
        bool numeric = is_digit(left[a]);
        if (numeric) {
            while (a_run < a_end && is_digit(left[a_run])) ++a_run;
            while (b_run < b_end && is_digit(right[b_run])) ++b_run;
        } else {
            while (a_run < a_end && is_alpha(left[a_run])) ++a_run;
            while (b_run < b_end && is_alpha(right[b_run])) ++b_run;
        }
        // Different kinds: the numeric run is newer.
        if (b_run == b) return numeric ? 1 : -1;

        std::string_view a_segment = left.substr(a, a_run - a);
        std::string_view b_segment = right.substr(b, b_run - b);
        if (numeric) {
            while (!a_segment.empty() && a_segment.front() == '0') a_segment.remove_prefix(1);
            while (!b_segment.empty() && b_segment.front() == '0') b_segment.remove_prefix(1);
            if (a_segment.size() != b_segment.size()) return a_segment.size() > b_segment.size() ? 1 : -1;
        }
        int rc = a_segment.compare(b_segment);
        if (rc != 0) return sign(rc);
        a = a_run;
        b = b_run;
    }
    if (a == a_end && b == b_end) return 0;
    // The side with something left is newer.
    return a == a_end ? -1 : 1;
}

int compare_evr(const Evr& left, const Evr& right) {
    if (left.epoch != right.epoch) return left.epoch < right.epoch ? -1 : 1;
    int rc = rpmvercmp(left.version, right.version);
    if (rc != 0) return rc;
    return rpmvercmp(left.release, right.release);
}

Evr parse_evr(std::string_view text) {
    Evr evr;
    if (std::size_t colon = text.find(':'); colon != std::string_view::npos) {
        evr.epoch = parse_unsigned(text.substr(0, colon)).value_or(0);
        text.remove_prefix(colon + 1);
    }
    if (std::size_t dash = text.rfind('-'); dash != std::string_view::npos) {
        evr.release.assign(text.substr(dash + 1));
        text = text.substr(0, dash);
    }
    evr.version.assign(text);
    return evr;
}

}  // namespace chantal::metadata
