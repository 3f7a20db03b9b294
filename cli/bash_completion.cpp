#include "cli/bash_completion.h"

#include <set>
#include <sstream>

namespace chantal::cli {
namespace {

// Single-quoted for the shell.
std::string quoted(const std::string& text) {
    std::string result = "'";
    for (char c : text) result += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return result + "'";
}

std::string joined(const std::vector<std::string>& words) {
    std::string result;
    for (const auto& word : words) result += (result.empty() ? "" : " ") + word;
    return result;
}

// Every option accepted after the command path: own first, then inherited
// ones whose names are not taken.
std::vector<const OptionDescription*> accepted_options(const CommandDescription& command) {
    std::vector<const OptionDescription*> accepted;
    std::set<std::string> names;
    for (const auto* list : {&command.options, &command.inherited_options})
        for (const auto& option : *list) {
            if (option.positional) continue;
            bool taken = false;
            for (const auto& name : option.names) taken = taken || names.count(name) > 0;
            if (taken) continue;
            names.insert(option.names.begin(), option.names.end());
            accepted.push_back(&option);
        }
    return accepted;
}

bool has_positional(const CommandDescription& command) {
    for (const auto& option : command.options)
        if (option.positional) return true;
    return false;
}

struct Tables {
    std::ostringstream commands, options, values, positionals;
};

void add_rows(const CommandDescription& command, const std::string& path, Tables& tables) {
    std::vector<std::string> subcommands;
    for (const auto& sub : command.subcommands) subcommands.push_back(sub.name);
    if (!subcommands.empty()) tables.commands << "        " << quoted(path) << ") REPLY=" << quoted(joined(subcommands)) << " ;;\n";

    std::vector<std::string> option_names;
    for (const OptionDescription* option : accepted_options(command)) {
        option_names.insert(option_names.end(), option->names.begin(), option->names.end());
        if (!option->takes_value()) continue;
        std::string patterns;
        for (const auto& name : option->names) patterns += (patterns.empty() ? "" : "|") + quoted(path + "|" + name);
        tables.values << "        " << patterns << ") REPLY=" << quoted(joined(option->choices)) << "; return 0 ;;\n";
    }
    if (!option_names.empty()) tables.options << "        " << quoted(path) << ") REPLY=" << quoted(joined(option_names)) << " ;;\n";
    if (has_positional(command)) tables.positionals << "        " << quoted(path) << ") return 0 ;;\n";

    for (const auto& sub : command.subcommands) add_rows(sub, path.empty() ? sub.name : path + " " + sub.name, tables);
}

}  // namespace

std::string bash_completion_script(const CommandDescription& root, const std::string& program) {
    Tables tables;
    add_rows(root, "", tables);
    const std::string prefix = "_" + program;
    std::ostringstream script;
    script << "# bash completion for " << program << "; generated from its command definitions by `" << program
           << " completion bash`.\n"
           << "# Command paths are the subcommand names after " << program << ", joined by spaces.\n\n"
           << "# " << prefix << "_commands PATH: the subcommands of PATH in REPLY.\n"
           << prefix << "_commands() {\n    REPLY=''\n    case $1 in\n" << tables.commands.str() << "    esac\n}\n\n"
           << "# " << prefix << "_options PATH: every option accepted after PATH in REPLY.\n"
           << prefix << "_options() {\n    REPLY=''\n    case $1 in\n" << tables.options.str() << "    esac\n}\n\n"
           << "# " << prefix << "_option_value PATH OPTION: succeeds when OPTION takes a value after PATH;\n"
           << "# its choices in REPLY (empty: any value).\n"
           << prefix << "_option_value() {\n    REPLY=''\n    case \"$1|$2\" in\n" << tables.values.str()
           << "    esac\n    return 1\n}\n\n"
           << "# " << prefix << "_has_arguments PATH: succeeds when PATH takes positional arguments.\n"
           << prefix << "_has_arguments() {\n    case $1 in\n" << tables.positionals.str() << "    esac\n    return 1\n}\n\n"
           << R"BASH(# Completes the choices of an option's value, or file names when it has none.
_PROGRAM_complete_value() {
    if [[ -n $1 ]]; then
        COMPREPLY=($(compgen -W "$1" -- "$2"))
    else
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$2"))
    fi
}

_PROGRAM() {
    local cur=${COMP_WORDS[COMP_CWORD]} path='' word option i REPLY
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == -- ]]; then
            break
        elif [[ $word == -* ]]; then
            # --option value and --option = value (bash splits words at '=')
            if [[ ${COMP_WORDS[i + 1]:-} == = ]]; then
                ((i += 2))
            elif [[ $word != *=* ]] && _PROGRAM_option_value "$path" "$word"; then
                ((i++))
            fi
        else
            _PROGRAM_commands "$path"
            if [[ " $REPLY " == *" $word "* ]]; then path=${path:+$path }$word; fi
        fi
    done

    # The value of an option: --option VALUE, --option=VALUE, --option = VALUE.
    option=''
    if [[ $cur == = && $COMP_CWORD -gt 1 ]]; then
        option=${COMP_WORDS[COMP_CWORD - 1]}
        cur=''
    elif [[ $COMP_CWORD -gt 2 && ${COMP_WORDS[COMP_CWORD - 1]} == = ]]; then
        option=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        option=${cur%%=*}
        if _PROGRAM_option_value "$path" "$option"; then
            _PROGRAM_complete_value "$REPLY" "${cur#*=}"
            COMPREPLY=("${COMPREPLY[@]/#/$option=}")
        fi
        return 0
    elif [[ $COMP_CWORD -gt 1 ]]; then
        option=${COMP_WORDS[COMP_CWORD - 1]}
    fi
    if [[ $option == -* ]] && _PROGRAM_option_value "$path" "$option"; then
        _PROGRAM_complete_value "$REPLY" "$cur"
        return 0
    fi

    if [[ $cur == -* ]]; then
        _PROGRAM_options "$path"
        COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
        return 0
    fi
    _PROGRAM_commands "$path"
    if [[ -n $REPLY ]]; then
        COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
    elif _PROGRAM_has_arguments "$path"; then
        _PROGRAM_complete_value '' "$cur"
    fi
    return 0
}
)BASH";
    std::string text = script.str();
    const std::string placeholder = "_PROGRAM";
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + prefix.size()))
        text.replace(at, placeholder.size(), prefix);
    return text + "complete -F " + prefix + " " + program + "\n";
}

}  // namespace chantal::cli
