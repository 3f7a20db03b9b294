// The vocabulary of the config file: every section's keys with their type,
// allowed values, default, description and status, declared once. The
// loader (config.cpp) reads keys only through it (a key it asks for that is
// not declared is a programming error), takes ranges, enumerations and the
// keys accepted for compatibility from it; `chantal schema` prints it as a
// JSON Schema (config_schema.h).
//
// The tables are immutable statics; every function here is thread-safe and
// the references it returns live as long as the program.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chantal {

enum class ConfigKeyType {
    string,            // any YAML scalar, read as text
    boolean,
    integer,           // within [minimum, maximum]
    unsigned_integer,  // 0 .. 2^64-1
    string_list,       // a list of scalars, or one scalar
    unsigned_list,     // a list of non-negative integers (written as numbers or digit strings)
    string_map,        // a mapping of names to scalar values
    mapping,           // a nested section (ConfigKey::section)
    mapping_list,      // a list of nested sections (ConfigKey::section)
    any,               // accepted for compatibility: not read
};

enum class ConfigKeyStatus {
    used,                // read and acted on
    accepted_unused,     // a key Python Chantal knows: accepted with a warning, no effect
    deprecated,          // read as its replacement, with a warning naming it
};

struct ConfigSection;

struct ConfigKey {
    std::string_view name;
    ConfigKeyType type = ConfigKeyType::string;
    std::string_view description;
    std::string_view default_value = {};             // as YAML would write it; empty: none
    std::vector<std::string_view> allowed = {};      // an enumeration, in the order messages list it
    std::int64_t minimum = 0;                        // integer only
    std::int64_t maximum = 0;                        // integer only
    const ConfigSection* section = nullptr;          // mapping and mapping_list only
    ConfigKeyStatus status = ConfigKeyStatus::used;
    std::string_view replacement = {};               // deprecated only: the key to write instead
    bool required = false;
};

struct ConfigSection {
    std::string_view title;
    std::string_view description;
    std::vector<ConfigKey> keys;

    // nullptr when `name` is not declared.
    const ConfigKey* find(std::string_view name) const;
};

// The main config file's top level. Included files may hold only its
// `repositories`, `views` and `include`.
const ConfigSection& config_file_section();

// "a, b or c": an enumeration as messages list it.
std::string describe_alternatives(const std::vector<std::string_view>& values);

}  // namespace chantal
