#include "cli/command_tree.h"

namespace chantal::cli {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

OptionDescription describe_option(const CLI::Option& option) {
    OptionDescription described;
    described.description = option.get_description();
    described.positional = option.get_positional() && !option.nonpositional();
    described.required = option.get_required();
    if (described.positional) {
        described.names.push_back(option.get_name());
    } else {
        for (const auto& name : option.get_snames()) described.names.push_back("-" + name);
        for (const auto& name : option.get_lnames()) described.names.push_back("--" + name);
    }
    const std::string type_name = option.get_type_name();
    described.choices = choices_from_type_name(type_name);
    const bool flag = option.get_expected_max() == 0 || option.get_type_size_max() == 0;
    if (!flag && !described.positional) {
        const auto colon = type_name.find(':');
        described.value_name = type_name.substr(0, colon);
        if (described.value_name.empty()) described.value_name = "VALUE";
        const std::string fallback = option.get_default_str();
        if (fallback != "[]" && !fallback.empty()) described.default_value = fallback;
    }
    return described;
}

// Options of `app` and of its option groups (unnamed subcommands).
void collect_options(const CLI::App& app, std::vector<OptionDescription>& into) {
    for (const CLI::Option* option : app.get_options()) into.push_back(describe_option(*option));
    for (const CLI::App* group : app.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); }))
        collect_options(*group, into);
}

CommandDescription describe(const CLI::App& app, const std::vector<OptionDescription>& reachable_above) {
    CommandDescription described;
    described.name = app.get_name();
    described.description = app.get_description();
    collect_options(app, described.options);
    if (app.get_parent() != nullptr && app.get_fallthrough()) described.inherited_options = reachable_above;
    std::vector<OptionDescription> reachable = described.inherited_options;
    reachable.insert(reachable.end(), described.options.begin(), described.options.end());
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* sub) {
             return !sub->get_name().empty() && !sub->get_group().empty();
         }))
        described.subcommands.push_back(describe(*sub, reachable));
    return described;
}

}  // namespace

std::vector<std::string> choices_from_type_name(const std::string& type_name) {
    const auto open = type_name.find('{');
    const auto close = type_name.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close <= open + 1) return {};
    std::vector<std::string> choices;
    for (std::string item : split(type_name.substr(open + 1, close - open - 1), ',')) {
        if (const auto arrow = item.find("->"); arrow != std::string::npos) item.resize(arrow);
        if (item.empty() || item.find_first_of("{} \t") != std::string::npos) return {};
        choices.push_back(item);
    }
    return choices;
}

CommandDescription describe_commands(const CLI::App& app) { return describe(app, {}); }

}  // namespace chantal::cli
