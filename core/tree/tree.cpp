// Tree resolution and the top-level layout (tree.h).
#include "core/tree/tree.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/catalogue/lookups.h"
#include "core/catalogue/view_union.h"
#include "core/tree/package_format.h"

namespace chantal {
namespace {

std::vector<std::string> column_list(Statement& statement) {
    std::vector<std::string> names;
    while (statement.step()) names.push_back(statement.column_text(0));
    return names;
}

// The format of a view tree: its first member's repository's (all members
// share it). `member_formats_sql` selects the members' formats in view
// order for the key ?1.
const PackageFormat& view_tree_format(Database& database, const char* member_formats_sql, std::int64_t key) {
    auto member = database.prepare(member_formats_sql);
    member.bind(1, key);
    return package_format(member.step() ? member.column_text_view(0) : kDefaultPackageFormat);
}

constexpr const char* kViewMemberFormats =
    "SELECT r.format FROM view_members m JOIN repositories r ON r.id = m.repository_id WHERE m.view_id = ?1 "
    "ORDER BY m.position, r.repo_id LIMIT 1";
constexpr const char* kViewSnapshotMemberFormats =
    "SELECT r.format FROM view_snapshot_members m JOIN snapshots s ON s.id = m.snapshot_id "
    "JOIN repositories r ON r.id = s.repository_id WHERE m.view_snapshot_id = ?1 ORDER BY m.position LIMIT 1";

std::optional<TreeState> resolve_repo_latest(Database& database, const TreeAddress& ref) {
    auto statement = database.prepare(
        "SELECT id, generated_tree, coalesce(latest_changed_at, created_at), " + has_latest_sql("r") + ", "
        "coalesce(last_repomd_sha256, ''), format FROM repositories r WHERE repo_id = ?1");
    statement.bind(1, ref.owner);
    if (!statement.step()) return std::nullopt;
    const auto id = statement.column_int64(0);
    if (statement.column_int64(3) == 0) return std::nullopt;  // never synced: no latest
    TreeState state;
    state.ref = ref;
    state.format = &package_format(statement.column_text_view(5));
    state.generated = statement.column_int64(1) != 0;
    state.sources.push_back({TreeSource::Table::repository_contents, id});
    state.timestamp = statement.column_int64(2);
    // Every switch of latest moves latest_changed_at (switch_latest), so
    // the version needs no read of the membership rows.
    state.version = "r" + std::to_string(id) + ":" + std::to_string(state.timestamp) + ":" +
                    statement.column_text(4) + ":" + std::to_string(state.generated);
    return state;
}

std::optional<TreeState> resolve_repo_snapshot(Database& database, const TreeAddress& ref) {
    auto statement = database.prepare(
        "SELECT s.id, s.generated_tree, s.created_at, r.format FROM snapshots s "
        "JOIN repositories r ON r.id = s.repository_id "
        "WHERE r.repo_id = ?1 AND s.name = ?2");
    statement.bind(1, ref.owner).bind(2, ref.snapshot);
    if (!statement.step()) return std::nullopt;
    TreeState state;
    state.ref = ref;
    state.format = &package_format(statement.column_text_view(3));
    state.generated = statement.column_int64(1) != 0;
    state.sources.push_back({TreeSource::Table::snapshot_contents, statement.column_int64(0)});
    state.timestamp = statement.column_int64(2);
    state.version = "s" + std::to_string(statement.column_int64(0)) + ":" + std::to_string(state.timestamp);
    return state;
}

std::optional<TreeState> resolve_view_latest(Database& database, const TreeAddress& ref) {
    auto view = database.prepare("SELECT id, created_at FROM views WHERE name = ?1");
    view.bind(1, ref.owner);
    if (!view.step()) return std::nullopt;
    TreeState state;
    state.ref = ref;
    state.format = &view_tree_format(database, kViewMemberFormats, view.column_int64(0));
    state.generated = true;
    state.timestamp = view.column_int64(1);
    state.version = "v" + std::to_string(view.column_int64(0));
    auto members = database.prepare(
        "SELECT r.id, coalesce(r.latest_changed_at, 0), coalesce(r.last_repomd_sha256, '') "
        "FROM view_members m JOIN repositories r ON r.id = m.repository_id WHERE m.view_id = ?1 "
        "ORDER BY m.position, r.repo_id");
    members.bind(1, view.column_int64(0));
    std::int64_t newest = 0;
    while (members.step()) {
        state.sources.push_back({TreeSource::Table::repository_contents, members.column_int64(0)});
        newest = std::max(newest, members.column_int64(1));
        state.version += ":" + std::to_string(members.column_int64(0)) + "@" + std::to_string(members.column_int64(1)) +
                         "/" + members.column_text(2);
    }
    if (newest != 0) state.timestamp = newest;
    return state;
}

std::optional<TreeState> resolve_view_snapshot(Database& database, const TreeAddress& ref) {
    auto snapshot = database.prepare(
        "SELECT s.id, s.created_at FROM view_snapshots s JOIN views v ON v.id = s.view_id "
        "WHERE v.name = ?1 AND s.name = ?2");
    snapshot.bind(1, ref.owner).bind(2, ref.snapshot);
    if (!snapshot.step()) return std::nullopt;
    TreeState state;
    state.ref = ref;
    state.format = &view_tree_format(database, kViewSnapshotMemberFormats, snapshot.column_int64(0));
    state.generated = true;
    state.timestamp = snapshot.column_int64(1);
    state.version = "vs" + std::to_string(snapshot.column_int64(0)) + ":" + std::to_string(state.timestamp);
    state.sources = view_members(database, ref);
    return state;
}

}  // namespace

std::optional<TreeState> resolve_tree(Database& database, const TreeAddress& ref) {
    switch (ref.kind) {
        case TreeKind::repo_latest: return resolve_repo_latest(database, ref);
        case TreeKind::repo_snapshot: return resolve_repo_snapshot(database, ref);
        case TreeKind::view_latest: return resolve_view_latest(database, ref);
        case TreeKind::view_snapshot: return resolve_view_snapshot(database, ref);
    }
    throw Error::internal("unknown tree kind");
}

std::vector<std::string> list_repository_ids(Database& database) {
    auto statement = database.prepare("SELECT repo_id FROM repositories ORDER BY repo_id");
    return column_list(statement);
}

std::vector<std::string> repository_snapshot_names(Database& database, std::string_view repo_id) {
    auto statement = database.prepare(
        "SELECT s.name FROM snapshots s JOIN repositories r ON r.id = s.repository_id WHERE r.repo_id = ?1 "
        "ORDER BY s.name");
    statement.bind(1, repo_id);
    return column_list(statement);
}

std::vector<std::string> list_view_names(Database& database) {
    auto statement = database.prepare("SELECT name FROM views ORDER BY name");
    return column_list(statement);
}

std::vector<std::string> view_snapshot_names(Database& database, std::string_view view) {
    auto statement = database.prepare(
        "SELECT s.name FROM view_snapshots s JOIN views v ON v.id = s.view_id WHERE v.name = ?1 ORDER BY s.name");
    statement.bind(1, view);
    return column_list(statement);
}

}  // namespace chantal

namespace chantal {

void attach_generation_settings(TreeState& state, TreeSigningKeys* signing) {
    state.signer.reset();
    state.metadata_compression = MetadataCompression::automatic;
    state.apt.reset();
    if (!state.generated || !signing) return;
    state.signer = signing->signer_for(state.ref);
    const Config& config = signing->config();
    state.metadata_compression = config.metadata_compression;
    if (!state.ref.is_view()) {
        if (const auto* repository = config.find_repository(state.ref.owner)) {
            state.metadata_compression = repository->metadata_compression;
            state.apt = repository->apt;
        }
        return;
    }
    const ViewConfig* view = config.find_view(state.ref.owner);
    if (!view) return;
    state.apt = view_apt_settings(config, *view);
}

AptSettings view_apt_settings(const Config& config, const ViewConfig& view) {
    AptSettings settings;
    settings.suite = view.apt_release.suite;
    settings.codename = view.apt_release.codename;
    settings.origin = view.apt_release.origin;
    settings.label = view.apt_release.label;
    settings.components.clear();
    settings.architectures.clear();
    const auto add_new = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
        for (const auto& word : from)
            if (std::find(to.begin(), to.end(), word) == to.end()) to.push_back(word);
    };
    for (const auto& member : view.repos)
        if (const auto* repository = config.find_repository(member)) {
            add_new(settings.components, repository->apt.components);
            add_new(settings.architectures, repository->apt.architectures);
        }
    return settings;
}

}  // namespace chantal
