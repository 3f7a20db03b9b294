// The JSON Schema (draft 2020-12) of the config file, generated from the
// key tables the loader reads (config_keys.h), so the two cannot disagree.
// It describes the main file; included files may hold only its
// `repositories`, `views` and `include`. Keys accepted for compatibility
// allow any value and say so; deprecated keys carry "deprecated": true.
//
// Thread-safe: a pure function of the static tables.
#pragma once

#include <nlohmann/json.hpp>

namespace chantal {

nlohmann::json config_json_schema();

}  // namespace chantal
