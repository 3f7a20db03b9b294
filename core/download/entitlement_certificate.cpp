#include "core/download/entitlement_certificate.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "core/base/error.h"

namespace chantal {
namespace fs = std::filesystem;
namespace {

bool all_digits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

struct Candidate {
    fs::path certificate;
    fs::file_time_type modified;
    std::string number;
};

// Numeric order for equal-length numbers, else the longer is larger.
bool number_less(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

EntitlementPair pick_entitlement_pair(const fs::path& directory) {
    std::error_code error;
    fs::directory_iterator entries(directory, error);
    if (error)
        throw Error::not_found("auth.cert_dir " + directory.string() + " cannot be read: " + error.message());
    std::vector<Candidate> candidates;
    for (const fs::directory_entry& entry : entries) {
        const fs::path& path = entry.path();
        if (path.extension() != ".pem" || !all_digits(path.stem().string())) continue;
        if (!entry.is_regular_file(error)) continue;
        const fs::path key = directory / (path.stem().string() + "-key.pem");
        if (!fs::is_regular_file(key, error)) continue;
        const auto modified = entry.last_write_time(error);
        if (error) continue;
        candidates.push_back({path, modified, path.stem().string()});
    }
    if (candidates.empty())
        throw Error::not_found("auth.cert_dir " + directory.string() +
                               " holds no entitlement certificate pair (NUMBER.pem with NUMBER-key.pem)");
    const auto newest = std::max_element(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.modified != b.modified ? a.modified < b.modified : number_less(a.number, b.number);
    });
    return {newest->certificate, directory / (newest->number + "-key.pem"), candidates.size()};
}

}  // namespace chantal
