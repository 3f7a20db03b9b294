// How the CLI shows a bad pool file (db verify, pool verify, repo sync
// --repair): its problem, and where the trees show it; and pool files no
// tree holds.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/catalogue/content_references.h"
#include "core/maintenance/db_verify.h"

namespace chantal::cli {

// What follows the problem's name: " (100 bytes, catalogue says 200)" for
// a wrong size, " (why)" for an unreadable file, else "".
std::string problem_details(const BadContent& bad);
// "bad checksum", "wrong size (100 bytes, catalogue says 200)", ...
std::string problem_text(const BadContent& bad);
// Where each holder shows the file: its tree path ("repos/ID/snapshots/N/...",
// "views/V/latest/..."), or for generated repodata its description.
std::vector<std::string> holder_locations(const BadContent& bad);
nlohmann::json holder_json(const ContentHolder& holder);
// sha256, filename, path, problem, sizes, detail, tree_paths, held_by.
nlohmann::json bad_content_json(const BadContent& bad);
// [{sha256, filename, path, size}, ...]: pool files outside the catalogue's
// trees (db verify, pool orphaned).
nlohmann::json file_records_json(const std::vector<PoolFileRecord>& records);

}  // namespace chantal::cli
