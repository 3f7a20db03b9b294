#include "core/sync/package_filter.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/base/nearest_word.h"
#include "core/config/iso_time.h"

namespace chantal {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
}

std::string bracketed(const std::vector<std::string>& items) { return "[" + join(items, ", ") + "]"; }

// One include/exclude entry of filters.rpm.{groups,licenses,vendors}: it
// matches a value it equals or, as a regex, is found in.
struct ValuePattern {
    std::string text;
    Regex regex;
    bool matches(const std::string& value) const { return value == text || regex.search(value); }
};

using ValuePatterns = std::shared_ptr<const std::vector<ValuePattern>>;

ValuePatterns compile(const std::vector<std::string>& entries) {
    auto patterns = std::make_shared<std::vector<ValuePattern>>();
    for (const auto& entry : entries) patterns->push_back({entry, Regex(entry)});
    return patterns;
}

bool any_matches(const ValuePatterns& patterns, const std::string& value) {
    return std::any_of(patterns->begin(), patterns->end(), [&](const ValuePattern& p) { return p.matches(value); });
}

// filters.deb.sections: "contrib/net" is matched by "contrib/net" and by "net".
bool section_listed(const std::vector<std::string>& sections, const std::string& section) {
    const std::size_t slash = section.rfind('/');
    return listed(sections, section) || (slash != std::string::npos && listed(sections, section.substr(slash + 1)));
}

std::string epochs_text(const std::vector<std::uint64_t>& epochs) {
    std::vector<std::string> texts;
    for (auto epoch : epochs) texts.push_back(std::to_string(epoch));
    return bracketed(texts);
}

}  // namespace

std::optional<std::int64_t> earliest_build_time(const BuildTimeWindow& window, std::int64_t now) {
    std::optional<std::int64_t> earliest = window.newer_than;
    if (window.last_n_days) {
        const std::int64_t cutoff = start_of_utc_day(now) - std::int64_t{*window.last_n_days} * 86400;
        earliest = std::max(earliest.value_or(cutoff), cutoff);
    }
    return earliest;
}

int versions_kept(const RepositoryConfig& repository) {
    const RepositoryFilters& filters = repository.filters;
    int kept = filters.only_latest_n_versions > 0 ? filters.only_latest_n_versions : filters.only_latest_version ? 1 : 0;
    const int retained = repository.retention.versions_kept();
    if (retained > 0 && (kept == 0 || retained < kept)) kept = retained;
    return kept;
}

PackageFilter::PackageFilter(const RepositoryConfig& repository, const PackageFormat& format, std::int64_t now)
    : format_(format), include_architectures_(repository.filters.architectures.include),
      keep_versions_(versions_kept(repository)) {
    add_criteria(repository.filters, now);
}

std::vector<std::string> PackageFilter::descriptions() const {
    std::vector<std::string> result;
    for (const auto& criterion : criteria_) result.push_back(criterion.description);
    return result;
}

void PackageFilter::add_criteria(const RepositoryFilters& filters, std::int64_t now) {
    if (filters.exclude_source_rpms)
        criteria_.push_back({"filters.rpm.exclude_source_rpms", [](const UpstreamPackage& package, const PackageDetails*) {
                                 return package.arch != "src" && package.arch != "nosrc";
                             }});
    if (const auto& include = filters.architectures.include; !include.empty())
        criteria_.push_back({"filters.metadata.architectures.include " + bracketed(include),
                             [include](const UpstreamPackage& package, const PackageDetails*) {
                                 return listed(include, package.arch);
                             }});
    if (const auto& exclude = filters.architectures.exclude; !exclude.empty())
        criteria_.push_back({"filters.metadata.architectures.exclude " + bracketed(exclude),
                             [exclude](const UpstreamPackage& package, const PackageDetails*) {
                                 return !listed(exclude, package.arch);
                             }});
    if (const SizeRange size = filters.size_bytes; !size.empty()) {
        std::string text = "filters.metadata.size_bytes";
        if (size.min) text += " min " + std::to_string(*size.min);
        if (size.max) text += " max " + std::to_string(*size.max);
        criteria_.push_back({text, [size](const UpstreamPackage& package, const PackageDetails*) {
                                 return (!size.min || package.size >= *size.min) && (!size.max || package.size <= *size.max);
                             }});
    }
    if (const BuildTimeWindow& window = filters.build_time; !window.empty()) {
        needs_details_ = true;
        const std::optional<std::int64_t> earliest = earliest_build_time(window, now);
        const std::optional<std::int64_t> latest = window.older_than;
        std::string text = "filters.metadata.build_time";
        if (!window.newer_than_text.empty()) text += " newer_than " + window.newer_than_text;
        if (!window.older_than_text.empty()) text += " older_than " + window.older_than_text;
        if (window.last_n_days) text += " last_n_days " + std::to_string(*window.last_n_days);
        // A package without a build time passes (Python Chantal's rule).
        criteria_.push_back({text, [earliest, latest](const UpstreamPackage&, const PackageDetails* details) {
                                 const std::int64_t built = details->build_time;
                                 return built == 0 || ((!earliest || built >= *earliest) && (!latest || built <= *latest));
                             }});
    }
    auto add_value_lists = [&](const IncludeExclude& lists, const std::string& key, std::string PackageDetails::*field) {
        if (lists.empty()) return;
        needs_details_ = true;
        // A package without the field passes (Python Chantal's rule).
        if (!lists.include.empty())
            criteria_.push_back({"filters.rpm." + key + ".include " + bracketed(lists.include),
                                 [patterns = compile(lists.include), field](const UpstreamPackage&, const PackageDetails* details) {
                                     const std::string& value = details->*field;
                                     return value.empty() || any_matches(patterns, value);
                                 }});
        if (!lists.exclude.empty())
            criteria_.push_back({"filters.rpm." + key + ".exclude " + bracketed(lists.exclude),
                                 [patterns = compile(lists.exclude), field](const UpstreamPackage&, const PackageDetails* details) {
                                     const std::string& value = details->*field;
                                     return value.empty() || !any_matches(patterns, value);
                                 }});
    };
    add_value_lists(filters.groups, "groups", &PackageDetails::group);
    add_value_lists(filters.licenses, "licenses", &PackageDetails::license);
    add_value_lists(filters.vendors, "vendors", &PackageDetails::vendor);
    // A package without the field passes; a source package passes the
    // priorities (Debian's Sources say "Priority: source").
    if (const auto& priorities = filters.deb_priorities; !priorities.empty()) {
        needs_details_ = true;
        criteria_.push_back({"filters.deb.priorities " + bracketed(priorities),
                             [priorities](const UpstreamPackage& package, const PackageDetails* details) {
                                 return package.arch == "source" || details->priority.empty() ||
                                        listed(priorities, details->priority);
                             }});
    }
    if (const auto& sections = filters.deb_sections; !sections.empty()) {
        needs_details_ = true;
        criteria_.push_back({"filters.deb.sections " + bracketed(sections),
                             [sections](const UpstreamPackage&, const PackageDetails* details) {
                                 return details->group.empty() || section_listed(sections, details->group);
                             }});
    }
    if (const auto& include = filters.epochs.include; !include.empty())
        criteria_.push_back({"filters.rpm.epochs.include " + epochs_text(include),
                             [include](const UpstreamPackage& package, const PackageDetails*) {
                                 return std::find(include.begin(), include.end(), package.epoch) != include.end();
                             }});
    if (const auto& exclude = filters.epochs.exclude; !exclude.empty())
        criteria_.push_back({"filters.rpm.epochs.exclude " + epochs_text(exclude),
                             [exclude](const UpstreamPackage& package, const PackageDetails*) {
                                 return std::find(exclude.begin(), exclude.end(), package.epoch) == exclude.end();
                             }});
    auto add_patterns = [&](const std::vector<std::string>& entries, bool include) {
        if (entries.empty()) return;
        std::shared_ptr<std::vector<Regex>> regexes = std::make_shared<std::vector<Regex>>();
        for (const auto& entry : entries) regexes->emplace_back(entry);
        criteria_.push_back({std::string("filters.patterns.") + (include ? "include " : "exclude ") + bracketed(entries),
                             [regexes, include](const UpstreamPackage& package, const PackageDetails*) {
                                 const std::string nvra =
                                     package.name + "-" + package.version + "-" + package.release + "." + package.arch;
                                 const bool found = std::any_of(regexes->begin(), regexes->end(), [&](const Regex& regex) {
                                     return regex.search(package.name) || regex.search(nvra);
                                 });
                                 return found == include;
                             }});
    };
    add_patterns(filters.patterns.include, true);
    add_patterns(filters.patterns.exclude, false);
}

bool PackageFilter::accepts(const UpstreamPackage& package, const PackageDetails* details) const {
    return std::all_of(criteria_.begin(), criteria_.end(),
                       [&](const Criterion& criterion) { return criterion.accepts(package, details); });
}

std::vector<std::size_t> PackageFilter::select(const std::vector<UpstreamPackage>& packages,
                                               const PackageDetailsLookup& details) const {
    std::vector<std::size_t> selected;
    for (std::size_t i = 0; i < packages.size(); ++i) {
        std::optional<PackageDetails> read;
        if (needs_details_) read = details(packages[i]);
        if (accepts(packages[i], read ? &*read : nullptr)) selected.push_back(i);
    }
    if (keep_versions_ == 0) return selected;

    std::map<std::pair<std::string_view, std::string_view>, std::vector<std::size_t>> by_name_arch;
    for (std::size_t index : selected) by_name_arch[{packages[index].name, packages[index].arch}].push_back(index);
    std::vector<std::size_t> kept;
    for (auto& [key, indexes] : by_name_arch) {
        std::stable_sort(indexes.begin(), indexes.end(), [&](std::size_t left, std::size_t right) {
            const auto& a = packages[left];
            const auto& b = packages[right];
            return format_.compare_versions(a.package_version(), b.package_version()) > 0;
        });
        // Keep the newest N distinct EVRs (equal EVRs, e.g. rebuilt twice, count once).
        int versions = 0;
        for (std::size_t i = 0; i < indexes.size(); ++i) {
            const auto& package = packages[indexes[i]];
            if (i == 0 ||
                format_.compare_versions(package.package_version(), packages[indexes[i - 1]].package_version()) != 0)
                ++versions;
            if (versions > keep_versions_) break;
            kept.push_back(indexes[i]);
        }
    }
    std::sort(kept.begin(), kept.end());
    return kept;
}

std::string PackageFilter::explain_nothing_selected(const std::vector<UpstreamPackage>& packages,
                                                    const PackageDetailsLookup& details) const {
    std::vector<std::size_t> passes(criteria_.size(), 0);
    std::set<std::string> architectures;
    for (const auto& package : packages) {
        architectures.insert(package.arch);
        std::optional<PackageDetails> read;
        if (needs_details_) read = details(package);
        for (std::size_t i = 0; i < criteria_.size(); ++i)
            if (criteria_[i].accepts(package, read ? &*read : nullptr)) ++passes[i];
    }
    const std::vector<std::string> known(architectures.begin(), architectures.end());
    std::string text;
    for (std::size_t i = 0; i < criteria_.size(); ++i) {
        text += (text.empty() ? "" : "; ") + criteria_[i].description + " passes " + std::to_string(passes[i]) +
                " of " + std::to_string(packages.size());
        if (passes[i] > 0 || criteria_[i].description.rfind("filters.metadata.architectures.include", 0) != 0) continue;
        text += " (upstream has " + join(known, ", ");
        for (const auto& wanted : include_architectures_)
            if (!listed(known, wanted))
                if (auto meant = nearest_word(wanted, known)) text += "; did you mean '" + *meant + "' for '" + wanted + "'?";
        text += ")";
    }
    return text;
}

}  // namespace chantal
