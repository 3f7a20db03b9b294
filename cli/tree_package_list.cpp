#include "cli/tree_package_list.h"

#include <iostream>

#include "core/catalogue/tree_package.h"
#include "core/tree/tree_packages.h"

namespace chantal::cli {
namespace {

nlohmann::json tree_package_json(const TreePackage& package) {
    return {{"name", package.name},       {"epoch", package.epoch},   {"version", package.version},
            {"release", package.release}, {"arch", package.arch},     {"evr", package.evr()},
            {"filename", package.filename}, {"sha256", package.sha256}, {"size", package.size},
            {"path", package.path},       {"repo_id", package.repo_id}};
}

// One CSV field: quoted, with quotes doubled, when it holds a comma, a quote
// or a line break.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

// The fields of tree_package_json, in the same order, one line per package.
void print_csv(const std::vector<TreePackage>& packages) {
    std::cout << "name,epoch,version,release,arch,evr,filename,sha256,size,path,repo_id\r\n";
    for (const auto& package : packages) {
        const std::vector<std::string> fields = {package.name,     std::to_string(package.epoch), package.version,
                                                 package.release,  package.arch,  package.evr(),
                                                 package.filename, package.sha256, std::to_string(package.size),
                                                 package.path,     package.repo_id};
        std::string line;
        for (const auto& field : fields) line += (line.empty() ? "" : ",") + csv_field(field);
        std::cout << line << "\r\n";
    }
    std::cout.flush();
}

void print_table(Console& console, const TreeAddress& tree, const std::vector<TreePackage>& packages) {
    if (packages.empty()) {
        console.print_line(tree.describe() + " has no packages");
        return;
    }
    std::vector<std::string> headers = {"NAME", "VERSION", "ARCH", "SIZE"};
    if (tree.is_view()) headers.push_back("FROM");
    Table table(headers);
    std::uint64_t bytes = 0;
    for (const auto& package : packages) {
        std::vector<std::string> row = {package.name, package.evr(), package.arch, format_bytes(package.size)};
        if (tree.is_view()) row.push_back(package.repo_id);
        table.add_row(std::move(row));
        bytes += package.size;
    }
    console.print_table(table);
    console.info(std::to_string(packages.size()) + " packages, " + format_bytes(bytes) + " in " + tree.describe());
}

}  // namespace

void print_tree_packages(AppContext& context, const TreeTarget& target, const std::string& snapshot,
                         PackageListFormat format) {
    Database& database = prepared_catalogue(context, target);
    const TreeAddress tree = target.tree(snapshot);
    const std::vector<TreePackage> packages = list_tree_packages(database, tree);
    Console& console = context.console();
    switch (format) {
        case PackageListFormat::json: {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& package : packages) list.push_back(tree_package_json(package));
            console.print_json(list);
            return;
        }
        case PackageListFormat::csv: print_csv(packages); return;
        case PackageListFormat::table: print_table(console, tree, packages); return;
    }
}

}  // namespace chantal::cli
