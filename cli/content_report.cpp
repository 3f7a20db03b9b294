#include "cli/content_report.h"

namespace chantal::cli {
namespace {

// A tree that serves the file as one of its own, not generated metadata nor
// a file a moved latest keeps only for the grace period.
bool holds_for_good(const ContentHolder& holder) { return holder.kind == ContentHolder::Kind::tree; }

const char* holder_kind_name(const ContentHolder& holder) {
    switch (holder.kind) {
        case ContentHolder::Kind::tree:
            switch (holder.tree.kind) {
                case TreeKind::repo_latest: return "repository";
                case TreeKind::repo_snapshot: return "snapshot";
                case TreeKind::view_latest: return "view";
                case TreeKind::view_snapshot: return "view_snapshot";
            }
            break;
        case ContentHolder::Kind::generated_metadata: return "generated_metadata";
        case ContentHolder::Kind::retired: return "retired";
    }
    return "unknown";
}

}  // namespace

std::string problem_details(const BadContent& bad) {
    std::string text;
    if (bad.problem == ContentProblem::wrong_size)
        text += " (" + std::to_string(bad.actual_size) + " bytes, catalogue says " + std::to_string(bad.size) +
                ")";
    if (!bad.detail.empty()) text += " (" + bad.detail + ")";
    return text;
}

std::string problem_text(const BadContent& bad) { return content_problem_name(bad.problem) + problem_details(bad); }

std::vector<std::string> holder_locations(const BadContent& bad) {
    std::vector<std::string> locations;
    for (const auto& holder : bad.holders)
        locations.push_back(holds_for_good(holder) ? tree_path_of(holder) : holder.describe());
    return locations;
}

nlohmann::json holder_json(const ContentHolder& holder) {
    nlohmann::json json = {{"kind", holder_kind_name(holder)}, {"path", holder.path},
                           {"tree_path", tree_path_of(holder)}};
    if (holder.kind == ContentHolder::Kind::tree) {
        json["repo_id"] = holder.tree.is_view() ? holder.via_repo_id : holder.tree.owner;
        if (!holder.tree.is_latest()) json["snapshot"] = holder.tree.snapshot;
        if (holder.tree.is_view()) json["view"] = holder.tree.owner;
    }
    if (!holder.tree_digest.empty()) json["tree_digest"] = holder.tree_digest;
    if (!holder.retired_from.empty()) json["retired_from"] = holder.retired_from;
    return json;
}

nlohmann::json bad_content_json(const BadContent& bad) {
    nlohmann::json json = {{"sha256", bad.sha256},     {"filename", bad.filename},
                           {"path", bad.path.string()}, {"problem", content_problem_name(bad.problem)},
                           {"expected_size", bad.size}};
    if (bad.problem == ContentProblem::wrong_size) json["actual_size"] = bad.actual_size;
    if (!bad.detail.empty()) json["detail"] = bad.detail;
    json["tree_paths"] = nlohmann::json::array();
    json["held_by"] = nlohmann::json::array();
    for (const auto& holder : bad.holders) {
        if (holds_for_good(holder)) json["tree_paths"].push_back(tree_path_of(holder));
        json["held_by"].push_back(holder_json(holder));
    }
    return json;
}

nlohmann::json file_records_json(const std::vector<PoolFileRecord>& records) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& record : records)
        list.push_back({{"sha256", record.sha256}, {"filename", record.filename}, {"path", record.path.string()},
                        {"size", record.size}});
    return list;
}

}  // namespace chantal::cli
