// A roff manual page of a command tree: every command, with its options,
// their values, choices and defaults and its help text, in one COMMANDS
// section; the prose around it (description, exit status, files, ...) comes
// from the caller.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/command_tree.h"

namespace chantal::cli {

struct ManualPage {
    std::string program;   // "chantal"
    int section = 1;
    std::string version;   // shown in the page footer, e.g. "chantal 0.1.0"
    std::string summary;   // one line for NAME
    std::string synopsis;  // plain text after the program name
    // Titled sections before COMMANDS (DESCRIPTION, ...) and after it (EXIT
    // STATUS, ENVIRONMENT, FILES, SEE ALSO). Their bodies are plain text:
    // paragraphs separated by blank lines; a line starting with "  " is kept
    // as it is (no filling), for examples.
    std::vector<std::pair<std::string, std::string>> sections_before;
    std::vector<std::pair<std::string, std::string>> sections_after;
};

std::string manual_page_roff(const CommandDescription& root, const ManualPage& page);

// Text escaped for roff: backslashes, hyphens of options, and a leading '.'
// or '\'' that would start a request.
std::string roff_escape(const std::string& text);

}  // namespace chantal::cli
