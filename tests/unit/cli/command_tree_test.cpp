// The CLI's self-description: the command tree read from a CLI11 App, the
// bash completion and the manual page generated from it.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "cli/bash_completion.h"
#include "cli/command_tree.h"
#include "cli/manual_page.h"
#include "support/temp_dir.h"

using namespace chantal::cli;
using chantal::test_support::run_command;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;

namespace {

// A small tool shaped like chantal: global options that fall through, a
// group with subcommands, an option group, a positional, a hidden command.
struct Tool {
    CLI::App app{"A tool", "tool"};
    std::string format = "table", repo, view, file;
    int workers = 4;
    bool all = false;

    Tool() {
        app.option_defaults()->always_capture_default();
        app.add_option("-c,--config", file, "Config file");
        app.add_option("--format", format, "Output format")->check(CLI::IsMember({"table", "json"}));
        app.fallthrough();
        auto* repo_command = app.add_subcommand("repo", "Repositories");
        auto* sync = repo_command->add_subcommand("sync", "Sync a repository");
        auto* target = sync->add_option_group("target", "What to sync");
        target->add_option("--repo-id", repo, "Repository id");
        target->add_flag("--all", all, "Every repository");
        sync->add_option("--workers", workers, "Parallel downloads");
        repo_command->add_subcommand("list", "List repositories");
        auto* import = app.add_subcommand("import", "Import a file");
        import->add_option("FILE", file, "The file")->required();
        app.add_subcommand("secret", "Hidden")->group("");
    }
};

const CommandDescription* find(const CommandDescription& command, const std::string& name) {
    for (const auto& sub : command.subcommands)
        if (sub.name == name) return &sub;
    return nullptr;
}

const OptionDescription* find_option(const std::vector<OptionDescription>& options, const std::string& name) {
    for (const auto& option : options)
        for (const auto& option_name : option.names)
            if (option_name == name) return &option;
    return nullptr;
}

// COMPREPLY, one per line, for the words of a command line (the last one is
// being completed), from the script sourced in a fresh bash.
std::string complete(const std::string& script, const std::string& words) {
    TempDir dir;
    write_text(dir / "completion.bash", script);
    write_text(dir / "driver.sh", "source " + (dir / "completion.bash").string() + "\nCOMP_WORDS=(" + words +
                                      ")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n_tool 2>/dev/null\n"
                                      "printf '%s\\n' \"${COMPREPLY[@]}\"\n");
    std::string output;
    EXPECT_EQ(run_command("bash --norc --noprofile " + (dir / "driver.sh").string(), &output), 0) << output;
    return output;
}

}  // namespace

TEST(CommandTree, ReadsCommandsOptionsGroupsAndChoices) {
    Tool tool;
    const CommandDescription root = describe_commands(tool.app);
    EXPECT_EQ(root.name, "tool");
    ASSERT_EQ(root.subcommands.size(), 2u) << "the hidden command is left out";
    const OptionDescription* format = find_option(root.options, "--format");
    ASSERT_NE(format, nullptr);
    EXPECT_EQ(format->choices, (std::vector<std::string>{"table", "json"}));
    EXPECT_EQ(format->default_value, "table");
    EXPECT_EQ(find_option(root.options, "-c")->names, (std::vector<std::string>{"-c", "--config"}));

    const CommandDescription* sync = find(*find(root, "repo"), "sync");
    ASSERT_NE(sync, nullptr);
    EXPECT_EQ(sync->description, "Sync a repository");
    ASSERT_NE(find_option(sync->options, "--repo-id"), nullptr) << "options of option groups belong to the command";
    EXPECT_TRUE(find_option(sync->options, "--repo-id")->takes_value());
    EXPECT_FALSE(find_option(sync->options, "--all")->takes_value());
    EXPECT_EQ(find_option(sync->options, "--workers")->value_name, "INT");
    EXPECT_NE(find_option(sync->inherited_options, "--format"), nullptr) << "fallthrough reaches the root's options";

    const OptionDescription* file = find_option(find(root, "import")->options, "FILE");
    ASSERT_NE(file, nullptr);
    EXPECT_TRUE(file->positional);
    EXPECT_TRUE(file->required);
}

TEST(CommandTree, ChoicesFromTypeNames) {
    EXPECT_EQ(choices_from_type_name("TEXT:{table,json,csv}"), (std::vector<std::string>{"table", "json", "csv"}));
    EXPECT_EQ(choices_from_type_name("TEXT:{a->1,b->2}"), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(choices_from_type_name("TEXT").empty());
    EXPECT_TRUE(choices_from_type_name("INT:POSITIVE").empty());
    EXPECT_TRUE(choices_from_type_name("TEXT:{}").empty());
}

TEST(BashCompletion, CompletesCommandsOptionsAndChoices) {
    Tool tool;
    const std::string script = bash_completion_script(describe_commands(tool.app), "tool");
    EXPECT_NE(script.find("complete -F _tool tool"), std::string::npos);
    EXPECT_EQ(complete(script, "tool re"), "repo\n");
    EXPECT_EQ(complete(script, "tool repo ''"), "sync\nlist\n");
    EXPECT_EQ(complete(script, "tool --format ''"), "table\njson\n");
    EXPECT_EQ(complete(script, "tool --format=j"), "--format=json\n");
    EXPECT_EQ(complete(script, "tool --format = t"), "table\n");
    EXPECT_EQ(complete(script, "tool repo sync --format j"), "json\n") << "inherited option with choices";
    EXPECT_EQ(complete(script, "tool repo sync --w"), "--workers\n");
    EXPECT_EQ(complete(script, "tool -c x repo sync --repo-id repo --a"), "--all\n")
        << "option values are not taken for command names";
    EXPECT_EQ(complete(script, "tool sec"), "\n") << "hidden commands are not offered";
}

TEST(ManualPage, ListsEveryCommandWithItsOptions) {
    Tool tool;
    ManualPage page;
    page.program = "tool";
    page.version = "tool 1.0";
    page.summary = "does things";
    page.synopsis = "COMMAND";
    page.sections_before = {{"Description", "First paragraph.\n\nExample:\n  tool repo sync --all\n"}};
    page.sections_after = {{"Exit status", "0: fine."}};
    const std::string roff = manual_page_roff(describe_commands(tool.app), page);
    EXPECT_NE(roff.find(".TH TOOL 1 \"\" \"tool 1.0\""), std::string::npos) << roff;
    EXPECT_NE(roff.find(".SS \"tool repo sync\""), std::string::npos) << roff;
    EXPECT_NE(roff.find("\\fB\\-\\-workers\\fR \\fIINT\\fR"), std::string::npos) << roff;
    EXPECT_NE(roff.find("\\fB\\-\\-format\\fR \\fBtable\\fR|\\fBjson\\fR"), std::string::npos) << roff;
    EXPECT_NE(roff.find("(default: table)"), std::string::npos) << roff;
    EXPECT_NE(roff.find(".nf\ntool repo sync \\-\\-all\n.fi"), std::string::npos) << roff;
    EXPECT_NE(roff.find(".SH \"EXIT STATUS\""), std::string::npos) << roff;
    EXPECT_EQ(roff.find("secret"), std::string::npos) << "hidden commands are left out";

    TempDir dir;
    write_text(dir / "tool.1", roff);
    std::string warnings;
    EXPECT_EQ(run_command("groff -ww -z -man " + (dir / "tool.1").string(), &warnings), 0);
    EXPECT_EQ(warnings, "");
}

TEST(ManualPage, EscapesRoff) {
    EXPECT_EQ(roff_escape("--all"), "\\-\\-all");
    EXPECT_EQ(roff_escape("C:\\path"), "C:\\epath");
    EXPECT_EQ(roff_escape(".hidden"), "\\&.hidden");
    EXPECT_EQ(roff_escape("'quoted'"), "\\&'quoted'");
}
