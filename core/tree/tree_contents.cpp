// TreeContents implementations (tree.h): one membership table read with range
// scans (repo trees), or a view's package set materialised once.
#include <algorithm>
#include <iterator>

#include "core/base/error.h"
#include "core/catalogue/view_union.h"
#include "core/catalogue/installer_tree.h"
#include "core/tree/tree.h"

namespace chantal {
namespace {

// Paths are UTF-8 and compared bytewise (BINARY collation); 0xff never occurs
// in UTF-8, so it bounds every path from above. "dir/" ranges end at "dir0"
// ('0' is '/' + 1).
constexpr std::string_view kAfterEverything = "\xff";

std::string child_prefix(std::string_view dir) { return dir.empty() ? std::string() : std::string(dir) + "/"; }
std::string prefix_end(std::string_view dir) {
    return dir.empty() ? std::string(kAfterEverything) : std::string(dir) + "0";
}

void sort_by_name(std::vector<TreeEntry>& entries) {
    const auto by_name = [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; };
    if (std::is_sorted(entries.begin(), entries.end(), by_name)) return;  // the common case: path order
    std::sort(entries.begin(), entries.end(), by_name);
}

struct SourceSql {
    const char* table;
    const char* key;
};
SourceSql source_sql(const TreeSource& source) {
    return source.table == TreeSource::Table::repository_contents ? SourceSql{"repository_contents", "repository_id"}
                                                                    : SourceSql{"snapshot_contents", "snapshot_id"};
}

PoolFile pool_file_at(Statement& statement, int first_column) {
    return {statement.column_text(first_column), statement.column_text(first_column + 1),
            static_cast<std::uint64_t>(statement.column_int64(first_column + 2))};
}

// Package rows of one source in path order.
void for_each_source_package(Database& database, const TreeSource& source,
                             const std::function<void(const TreePackageRow&)>& visit) {
    const auto sql = source_sql(source);
    auto statement = database.prepare(std::string("SELECT t.path, t.package_id, c.sha256, c.filename, c.size FROM ") +
                                      sql.table + " t JOIN content_items c ON c.id = t.content_id WHERE t." + sql.key +
                                      " = ?1 AND t.role = 'package' ORDER BY t.path");
    statement.bind(1, source.key);
    TreePackageRow package;
    while (statement.step()) {
        package.path = statement.column_text(0);
        package.package_id = statement.column_int64(1);
        package.file = pool_file_at(statement, 2);
        visit(package);
    }
}

// The installer tree a view serves (installer_tree.h): the kInstallerTreeType
// rows of its first source that has any, as rows without a package (id 0).
std::vector<TreePackageRow> first_installer_tree(Database& database, const std::vector<TreeSource>& sources) {
    std::vector<TreePackageRow> rows;
    for (const auto& source : sources) {
        const auto sql = source_sql(source);
        auto statement = database.prepare(std::string("SELECT t.path, c.sha256, c.filename, c.size FROM ") + sql.table +
                                          " t JOIN content_items c ON c.id = t.content_id WHERE t." + sql.key +
                                          " = ?1 AND t.role = 'metadata' AND t.metadata_type = ?2 ORDER BY t.path");
        statement.bind(1, source.key).bind(2, kInstallerTreeType);
        while (statement.step()) rows.push_back({statement.column_text(0), 0, pool_file_at(statement, 1)});
        if (!rows.empty()) break;
    }
    return rows;
}

// A repo or repo-snapshot tree: one membership table. Mirror trees show
// every row, generated trees the package rows, the trusted upstream keys
// (verify.client_key_name: clients check the packages' own signatures with
// them whatever the tree's repodata) and the installer tree when it fits
// their layout (installer_tree.h).
class SourceTreeContents final : public TreeContents {
public:
    explicit SourceTreeContents(TreeState state) : TreeContents(std::move(state)) {
        const auto sql = source_sql(state_.sources.at(0));
        const std::string role = state_.generated ? " AND (t.role = 'package' OR t.metadata_type IN ('client_key', '" +
                                                        std::string(kInstallerTreeType) + "'))"
                                                  : "";
        from_ = std::string(" FROM ") + sql.table + " t JOIN content_items c ON c.id = t.content_id WHERE t." +
                sql.key + " = ?1" + role;
        // The membership table alone: its primary key (key, path) covers the
        // scan, and a file's content row tells its bytes apart in `latest`.
        names_sql_ = std::string("SELECT t.path, t.content_id FROM ") + sql.table + " t WHERE t." + sql.key +
                     " = ?1" + role + " AND t.path >= ?2 AND t.path < ?3 ORDER BY t.path";
        range_sql_ = "SELECT t.path, c.sha256, c.filename, c.size, t.content_id" + from_ +
                     " AND t.path >= ?2 AND t.path < ?3 ORDER BY t.path";
        exact_sql_ = "SELECT t.path, c.sha256, c.filename, c.size, t.content_id" + from_ + " AND t.path = ?2";
        exists_sql_ = "SELECT 1" + from_ + " AND t.path >= ?2 AND t.path < ?3 LIMIT 1";
    }

    std::optional<std::vector<TreeEntry>> list(Database& database, std::string_view dir) const override {
        const std::string prefix = child_prefix(dir);
        const std::string end = prefix_end(dir);
        std::vector<TreeEntry> entries;
        auto statement = database.prepare(range_sql_);
        std::string start = prefix;
        for (;;) {
            statement.reset();
            statement.bind(1, key()).bind(2, start).bind(3, end);
            bool skipped = false;
            while (statement.step()) {
                const auto path = statement.column_text_view(0);
                const auto rest = path.substr(prefix.size());
                const auto slash = rest.find('/');
                if (slash == std::string_view::npos) {
                    entries.push_back({std::string(rest), false, pool_file_at(statement, 1), statement.column_int64(4)});
                    continue;
                }
                // A subdirectory: note it and seek past everything below it.
                const std::string name(rest.substr(0, slash));
                entries.push_back({name, true, {}});
                start = prefix + name + "0";
                skipped = true;
                break;
            }
            if (!skipped) break;
        }
        if (entries.empty() && !dir.empty()) return std::nullopt;
        sort_by_name(entries);
        return entries;
    }

    bool list_names(Database& database, std::string_view dir, const NameVisitor& visit) const override {
        const std::string prefix = child_prefix(dir);
        const std::string end = prefix_end(dir);
        auto statement = database.prepare(names_sql_);
        std::string start = prefix;
        bool any = false;
        for (;;) {
            statement.reset();
            statement.bind(1, key()).bind(2, start).bind(3, end);
            bool skipped = false;
            while (statement.step()) {
                any = true;
                const auto rest = statement.column_text_view(0).substr(prefix.size());
                const auto slash = rest.find('/');
                if (slash == std::string_view::npos) {
                    visit(rest, false, statement.column_int64(1), {});
                    continue;
                }
                // A subdirectory: note it and seek past everything below it.
                const std::string name(rest.substr(0, slash));
                visit(name, true, 0, {});
                start = prefix + name + "0";
                skipped = true;
                break;
            }
            if (!skipped) break;
        }
        return any || dir.empty();
    }

    std::optional<TreeEntry> lookup(Database& database, std::string_view path) const override {
        if (path.empty()) return TreeEntry{"", true, {}};
        const auto name = std::string(path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1));
        auto exact = database.prepare(exact_sql_);
        exact.bind(1, key()).bind(2, path);
        if (exact.step()) return TreeEntry{name, false, pool_file_at(exact, 1), exact.column_int64(4)};
        auto exists = database.prepare(exists_sql_);
        exists.bind(1, key()).bind(2, child_prefix(path)).bind(3, prefix_end(path));
        if (exists.step()) return TreeEntry{name, true, {}};
        return std::nullopt;
    }

    void for_each_package(Database& database, const std::function<void(const TreePackageRow&)>& visit) const override {
        for_each_source_package(database, state_.sources.at(0), visit);
    }

    void for_each_file(Database& database,
                       const std::function<void(const std::string&, const PoolFile&)>& visit) const override {
        auto statement = database.prepare("SELECT t.path, c.sha256, c.filename, c.size" + from_ + " ORDER BY t.path");
        statement.bind(1, key());
        while (statement.step()) visit(statement.column_text(0), pool_file_at(statement, 1));
    }

private:
    std::int64_t key() const { return state_.sources.at(0).key; }
    std::string from_;
    std::string names_sql_;
    std::string range_sql_;
    std::string exact_sql_;
    std::string exists_sql_;
};

// A view (latest or snapshot): the union of its members' packages
// (core/catalogue/view_union.h) and the installer tree of its first member
// that has one. Materialised at construction, sorted by path; a row with
// package_id 0 is an installer file (a package keeps its path if one
// collides).
class ViewTreeContents final : public TreeContents {
public:
    ViewTreeContents(Database& database, TreeState state) : TreeContents(std::move(state)) {
        for_each_view_union_package(database, state_.sources, [&](const TreePackage& package) {
            packages_.push_back({package.path, package.package_id, {package.sha256, package.filename, package.size}});
        });
        // The union comes in file name order; listings need path order.
        const auto by_path = [](const TreePackageRow& left, const TreePackageRow& right) { return left.path < right.path; };
        std::sort(packages_.begin(), packages_.end(), by_path);
        std::vector<TreePackageRow> installer_files = first_installer_tree(database, state_.sources);
        std::erase_if(installer_files, [&](const TreePackageRow& file) {
            return std::binary_search(packages_.begin(), packages_.end(), file, by_path);
        });
        const auto package_count = static_cast<std::ptrdiff_t>(packages_.size());
        std::move(installer_files.begin(), installer_files.end(), std::back_inserter(packages_));
        std::inplace_merge(packages_.begin(), packages_.begin() + package_count, packages_.end(), by_path);
    }

    std::optional<std::vector<TreeEntry>> list(Database&, std::string_view dir) const override {
        const std::string prefix = child_prefix(dir);
        std::vector<TreeEntry> entries;
        auto it = lower_bound(prefix);
        while (it != packages_.end() && std::string_view(it->path).starts_with(prefix)) {
            const auto rest = std::string_view(it->path).substr(prefix.size());
            const auto slash = rest.find('/');
            if (slash == std::string_view::npos) {
                entries.push_back({std::string(rest), false, it->file});
                ++it;
                continue;
            }
            const std::string name(rest.substr(0, slash));
            entries.push_back({name, true, {}});
            it = lower_bound(prefix + name + "0");
        }
        if (entries.empty() && !dir.empty()) return std::nullopt;
        sort_by_name(entries);
        return entries;
    }

    bool list_names(Database&, std::string_view dir, const NameVisitor& visit) const override {
        const std::string prefix = child_prefix(dir);
        bool any = false;
        auto it = lower_bound(prefix);
        while (it != packages_.end() && std::string_view(it->path).starts_with(prefix)) {
            any = true;
            const auto rest = std::string_view(it->path).substr(prefix.size());
            const auto slash = rest.find('/');
            if (slash == std::string_view::npos) {
                visit(rest, false, 0, it->file.sha256);
                ++it;
                continue;
            }
            visit(rest.substr(0, slash), true, 0, {});
            it = lower_bound(prefix + std::string(rest.substr(0, slash)) + "0");
        }
        return any || dir.empty();
    }

    std::optional<TreeEntry> lookup(Database&, std::string_view path) const override {
        if (path.empty()) return TreeEntry{"", true, {}};
        const auto slash = path.rfind('/');
        const std::string name(path.substr(slash == std::string_view::npos ? 0 : slash + 1));
        auto it = lower_bound(path);
        if (it != packages_.end() && it->path == path) return TreeEntry{name, false, it->file};
        const std::string prefix = child_prefix(path);
        it = lower_bound(prefix);
        if (it != packages_.end() && std::string_view(it->path).starts_with(prefix)) return TreeEntry{name, true, {}};
        return std::nullopt;
    }

    void for_each_package(Database&, const std::function<void(const TreePackageRow&)>& visit) const override {
        for (const auto& package : packages_)
            if (package.package_id != 0) visit(package);
    }

    void for_each_file(Database&, const std::function<void(const std::string&, const PoolFile&)>& visit) const override {
        for (const auto& row : packages_) visit(row.path, row.file);
    }

private:
    std::vector<TreePackageRow>::const_iterator lower_bound(std::string_view path) const {
        return std::lower_bound(packages_.begin(), packages_.end(), path,
                                [](const TreePackageRow& package, std::string_view p) { return package.path < p; });
    }
    std::vector<TreePackageRow> packages_;
};

}  // namespace

bool TreeContents::list_names(Database& database, std::string_view dir, const NameVisitor& visit) const {
    const auto entries = list(database, dir);
    if (!entries) return false;
    for (const auto& entry : *entries) visit(entry.name, entry.directory, entry.content_id, entry.file.sha256);
    return true;
}

std::vector<std::vector<TreeMetadataRow>> TreeContents::metadata_rows(Database& database) const {
    std::vector<std::vector<TreeMetadataRow>> result;
    for (const auto& source : state_.sources) {
        const auto sql = source_sql(source);
        auto statement = database.prepare(std::string("SELECT t.path, coalesce(t.metadata_type, ''), c.sha256, "
                                                      "c.filename, c.size FROM ") +
                                          sql.table + " t JOIN content_items c ON c.id = t.content_id WHERE t." +
                                          sql.key + " = ?1 AND t.role = 'metadata' ORDER BY t.path");
        statement.bind(1, source.key);
        auto& rows = result.emplace_back();
        while (statement.step())
            rows.push_back({statement.column_text(0), statement.column_text(1), pool_file_at(statement, 2)});
    }
    return result;
}

void TreeContents::for_each_file(Database& database,
                                 const std::function<void(const std::string&, const PoolFile&)>& visit) const {
    for_each_package(database, [&](const TreePackageRow& package) { visit(package.path, package.file); });
}

std::shared_ptr<const TreeContents> open_tree_contents(Database& database, TreeState state) {
    if (state.ref.is_view()) return std::make_shared<ViewTreeContents>(database, std::move(state));
    if (state.sources.size() != 1) throw Error::internal("a repository tree has exactly one source");
    return std::make_shared<SourceTreeContents>(std::move(state));
}

}  // namespace chantal
