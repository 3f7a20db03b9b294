#include "cli/manual_page.h"

#include <cctype>
#include <sstream>

namespace chantal::cli {
namespace {

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string bold(const std::string& text) { return "\\fB" + roff_escape(text) + "\\fR"; }
std::string italic(const std::string& text) { return "\\fI" + roff_escape(text) + "\\fR"; }

// "table|json" in bold, or the value's type in italics; empty for a flag.
std::string value_of(const OptionDescription& option) {
    if (!option.choices.empty()) {
        std::string choices;
        for (const auto& choice : option.choices) choices += (choices.empty() ? "" : "|") + bold(choice);
        return choices;
    }
    return option.takes_value() ? italic(option.value_name) : std::string();
}

std::string option_heading(const OptionDescription& option) {
    if (option.positional) return italic(option.names.front());
    std::string heading;
    for (const auto& name : option.names) heading += (heading.empty() ? "" : ", ") + bold(name);
    const std::string value = value_of(option);
    return value.empty() ? heading : heading + " " + value;
}

void write_option(std::ostream& out, const OptionDescription& option) {
    out << ".TP\n" << option_heading(option) << "\n";
    std::string text = option.description.empty() ? std::string("(no description)") : option.description;
    if (option.required) text += " (required)";
    // A description that states its default itself ("default: download.parallel") knows better.
    if (!option.default_value.empty() && text.find("default") == std::string::npos)
        text += " (default: " + option.default_value + ")";
    out << roff_escape(text) << "\n";
}

// "[-h] --repo-id ID [--workers N] FILE" for one command's synopsis line.
std::string usage_of(const CommandDescription& command) {
    std::string usage;
    for (const auto& option : command.options) {
        if (option.names.empty() || option.names.front() == "-h") continue;
        std::string part = option.positional ? italic(option.names.front()) : bold(option.names.back());
        if (!option.positional && option.takes_value()) part += " " + value_of(option);
        usage += " " + (option.required ? part : "[" + part + "]");
    }
    return usage;
}

void write_command(std::ostream& out, const CommandDescription& command, const std::string& path) {
    out << ".SS \"" << roff_escape(path) << "\"\n";
    if (const std::string usage = usage_of(command); !usage.empty()) out << bold(path) << usage << "\n.br\n";
    out << roff_escape(command.description) << "\n";
    bool any = false;
    for (const auto& option : command.options) {
        if (option.names.empty() || option.names.front() == "-h") continue;
        if (!any) out << ".RS\n";
        any = true;
        write_option(out, option);
    }
    if (any) out << ".RE\n";
    for (const auto& sub : command.subcommands) write_command(out, sub, path + " " + sub.name);
}

void write_prose(std::ostream& out, const std::string& body) {
    std::istringstream lines(body);
    std::string line;
    bool verbatim = false;
    bool paragraph_open = false;
    while (std::getline(lines, line)) {
        const bool literal = line.rfind("  ", 0) == 0;
        if (line.empty()) {
            if (verbatim) out << ".fi\n.in\n";
            verbatim = false;
            paragraph_open = false;
            continue;
        }
        if (literal && !verbatim) {
            out << ".PP\n.in +4n\n.nf\n";
            verbatim = true;
        } else if (!literal && verbatim) {
            out << ".fi\n.in\n";
            verbatim = false;
            paragraph_open = false;
        }
        if (!literal && !paragraph_open) {
            out << ".PP\n";
            paragraph_open = true;
        }
        out << roff_escape(literal ? line.substr(2) : line) << "\n";
    }
    if (verbatim) out << ".fi\n.in\n";
}

}  // namespace

std::string roff_escape(const std::string& text) {
    std::string escaped;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            escaped += "\\e";
        } else if (c == '-') {
            escaped += "\\-";
        } else {
            escaped += c;
        }
    }
    if (!escaped.empty() && (escaped[0] == '.' || escaped[0] == '\'')) escaped.insert(0, "\\&");
    return escaped;
}

std::string manual_page_roff(const CommandDescription& root, const ManualPage& page) {
    std::ostringstream out;
    out << ".\\\" Generated from the command definitions by `" << page.program << " manual`; do not edit.\n"
        << ".TH " << upper(page.program) << " " << page.section << " \"\" \"" << roff_escape(page.version)
        << "\" \"User Commands\"\n"
        << ".SH NAME\n" << page.program << " \\- " << roff_escape(page.summary) << "\n"
        << ".SH SYNOPSIS\n" << bold(page.program) << " " << roff_escape(page.synopsis) << "\n";
    for (const auto& [title, body] : page.sections_before) {
        out << ".SH " << upper(title) << "\n";
        write_prose(out, body);
    }
    out << ".SH \"GLOBAL OPTIONS\"\n";
    for (const auto& option : root.options) write_option(out, option);
    out << ".SH COMMANDS\n";
    for (const auto& command : root.subcommands) write_command(out, command, page.program + " " + command.name);
    for (const auto& [title, body] : page.sections_after) {
        out << ".SH \"" << upper(title) << "\"\n";
        write_prose(out, body);
    }
    return out.str();
}

}  // namespace chantal::cli
