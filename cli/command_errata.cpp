// chantal errata list | show: advisories (errata) of a tree, and one advisory.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include "cli/commands.h"
#include "core/base/error.h"
#include "core/base/nearest_word.h"
#include "core/snapshots/view_reconcile.h"
#include "core/tree/errata_query.h"
#include "core/tree/tree.h"

namespace chantal::cli {
namespace {

struct ErrataListOptions {
    std::string repo_id;
    std::string view;
    std::string snapshot;
    std::string type;
    std::string severity;
    std::string since;  // YYYY-MM-DD
    std::string cve;
};

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string date_of(const TreeAdvisory& advisory) {
    return (advisory.updated.empty() ? advisory.issued : advisory.updated).substr(0, 10);
}

bool matches(const TreeAdvisory& advisory, const ErrataListOptions& options) {
    if (!options.type.empty() && lowercase(advisory.type) != lowercase(options.type)) return false;
    if (!options.severity.empty() && lowercase(advisory.severity) != lowercase(options.severity)) return false;
    if (!options.since.empty() && date_of(advisory) < options.since) return false;
    if (!options.cve.empty() &&
        std::none_of(advisory.cves.begin(), advisory.cves.end(),
                     [&](const std::string& cve) { return lowercase(cve) == lowercase(options.cve); }))
        return false;
    return true;
}

nlohmann::json packages_json(const std::vector<AdvisoryPackageRef>& packages) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& package : packages)
        list.push_back({{"name", package.name},
                        {"epoch", package.epoch},
                        {"version", package.version},
                        {"release", package.release},
                        {"arch", package.arch},
                        {"filename", package.filename}});
    return list;
}

nlohmann::json advisory_json(const TreeAdvisory& advisory) {
    return {{"id", advisory.id},           {"type", advisory.type},   {"severity", advisory.severity},
            {"status", advisory.status},   {"issued", advisory.issued}, {"updated", advisory.updated},
            {"title", advisory.title},     {"cves", advisory.cves},   {"packages", packages_json(advisory.in_tree)}};
}

// A usage error (exit 2) unless `date` is a real calendar date YYYY-MM-DD.
void check_date(const std::string& option, const std::string& date) {
    const auto digits = [&](std::size_t from, std::size_t count) {
        return std::all_of(date.begin() + static_cast<std::ptrdiff_t>(from),
                           date.begin() + static_cast<std::ptrdiff_t>(from + count),
                           [](unsigned char c) { return std::isdigit(c); });
    };
    const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' && digits(0, 4) && digits(5, 2) &&
                        digits(8, 2);
    if (shaped) {
        const std::chrono::year_month_day day{std::chrono::year{std::stoi(date.substr(0, 4))},
                                              std::chrono::month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                                              std::chrono::day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
        if (day.ok()) return;
    }
    throw CLI::ValidationError(option, "'" + date + "' is not a date as YYYY-MM-DD");
}

// A usage error (exit 2) unless `value` is one of `known` (case does not
// matter), naming the value, the nearest known one and the others.
void check_member(const std::string& option, const std::string& value, std::set<std::string> known) {
    if (value.empty() || known.count(lowercase(value))) return;
    std::string message = "unknown value '" + value + "'";
    if (auto nearest = nearest_word(lowercase(value), {known.begin(), known.end()}))
        message += "; did you mean '" + *nearest + "'?";
    throw CLI::ValidationError(option, message + " (known: " + join(known, ", ") + ")");
}

void list_errata(AppContext& context, const ErrataListOptions& options) {
    if (!options.since.empty()) check_date("--since", options.since);
    Database& database = context.catalogue().database();
    // The usual updateinfo words, and whatever upstream used besides.
    AdvisoryVocabulary vocabulary = advisory_vocabulary(database);
    vocabulary.types.insert({"security", "bugfix", "enhancement", "newpackage"});
    vocabulary.severities.insert({"critical", "important", "moderate", "low"});
    check_member("--type", options.type, vocabulary.types);
    check_member("--severity", options.severity, vocabulary.severities);
    TreeAddress address;
    if (!options.view.empty()) {
        context.config().view(options.view);
        reconcile_views(database, context.config());
        address = TreeAddress::of_view(options.view, options.snapshot);
    } else {
        context.config().repository(options.repo_id);
        address = TreeAddress::of_repository(options.repo_id, options.snapshot);
    }
    auto state = resolve_tree(database, address);
    if (!state)
        throw Error::not_found(address.path() + " does not exist" +
                               (address.is_latest() ? " (never synced?)" : " (no such snapshot)"));
    auto contents = open_tree_contents(database, *state);
    std::vector<TreeAdvisory> advisories;
    for (auto& advisory : tree_advisories(database, *contents))
        if (matches(advisory, options)) advisories.push_back(std::move(advisory));
    std::sort(advisories.begin(), advisories.end(), [](const TreeAdvisory& a, const TreeAdvisory& b) {
        return date_of(a) != date_of(b) ? date_of(a) > date_of(b) : a.id < b.id;
    });

    Console& console = context.console();
    if (console.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& advisory : advisories) list.push_back(advisory_json(advisory));
        console.print_json(list);
        return;
    }
    if (advisories.empty()) {
        console.print_line("no advisories in " + address.path());
        return;
    }
    Table table({"ID", "TYPE", "SEVERITY", "DATE", "CVES", "TITLE"});
    for (const auto& advisory : advisories) {
        const std::string cves = join(advisory.cves, " ");
        table.add_row({advisory.id, advisory.type, advisory.severity.empty() ? "-" : advisory.severity,
                       date_of(advisory), cves.empty() ? "-" : cves, advisory.title});
    }
    console.print_table(table);
}

void show_erratum(AppContext& context, const std::string& id) {
    Catalogue* catalogue = context.catalogue_if_exists();
    std::optional<AdvisoryDetails> details = catalogue ? find_advisory(catalogue->database(), id) : std::nullopt;
    if (!details) throw Error::not_found("unknown advisory '" + id + "'");
    const TreeAdvisory& advisory = details->advisory;
    Console& console = context.console();
    if (console.json()) {
        nlohmann::json json = advisory_json(advisory);
        json["packages"] = packages_json(advisory.packages);
        json["summary"] = details->summary;
        json["description"] = details->description;
        json["repositories"] = details->repositories;
        nlohmann::json references = nlohmann::json::array();
        for (const auto& reference : details->references)
            references.push_back(
                {{"type", reference.type}, {"id", reference.id}, {"href", reference.href}, {"title", reference.title}});
        json["references"] = references;
        console.print_json(json);
        return;
    }
    KeyValueList list;
    list.add("id", advisory.id);
    list.add("type", advisory.type);
    list.add("severity", advisory.severity.empty() ? "-" : advisory.severity);
    list.add("status", advisory.status);
    list.add("issued", advisory.issued);
    list.add("updated", advisory.updated.empty() ? "-" : advisory.updated);
    list.add("title", advisory.title);
    const std::string cves = join(advisory.cves, " ");
    list.add("CVEs", cves.empty() ? "-" : cves);
    const std::string repositories = join(details->repositories, ", ");
    list.add("repositories", repositories.empty() ? "-" : repositories);
    list.print(std::cout);
    if (!details->summary.empty()) std::cout << "\n" << details->summary << "\n";
    if (!details->description.empty() && details->description != details->summary)
        std::cout << "\n" << details->description << "\n";
    std::cout << "\npackages:\n";
    for (const auto& package : advisory.packages)
        std::cout << "  " << package.name << "-" << (package.epoch ? std::to_string(package.epoch) + ":" : "")
                  << package.version << "-" << package.release << "." << package.arch << "\n";
    if (!details->references.empty()) {
        std::cout << "\nreferences:\n";
        for (const auto& reference : details->references)
            std::cout << "  " << reference.type << " " << reference.id << (reference.href.empty() ? "" : "  " + reference.href)
                      << "\n";
    }
}

}  // namespace

void register_errata_commands(CLI::App& app, AppContext& context) {
    auto* errata = app.add_subcommand("errata", "Advisories (errata) from upstream updateinfo");
    errata->require_subcommand(1);

    auto* list = errata->add_subcommand("list", "Advisories that name at least one package of a tree");
    auto options = std::make_shared<ErrataListOptions>();
    auto* repo_id = list->add_option("--repo-id", options->repo_id, "Repository id");
    auto* view = list->add_option("--view", options->view, "View name");
    repo_id->excludes(view);
    list->add_option("--snapshot", options->snapshot, "Snapshot name (default: latest)");
    list->add_option("--type", options->type, "security, bugfix, enhancement, newpackage");
    list->add_option("--severity", options->severity, "Critical, Important, Moderate, Low");
    list->add_option("--since", options->since, "Issued or updated on or after YYYY-MM-DD");
    list->add_option("--cve", options->cve, "Only advisories that fix this CVE");
    list->callback([&context, options] {
        if (options->repo_id.empty() && options->view.empty()) throw CLI::RequiredError("--repo-id or --view");
        list_errata(context, *options);
    });

    auto* show = errata->add_subcommand("show", "One advisory: packages, references, where it is");
    auto id = std::make_shared<std::string>();
    show->add_option("ID", *id, "Advisory id, e.g. RHSA-2025:1234")->required();
    show->callback([&context, id] { show_erratum(context, *id); });
}

}  // namespace chantal::cli
