// JSON Schema generation from the config key tables (config_schema.h).
#include "core/config/config_schema.h"

#include <string>

#include "core/config/config_keys.h"

namespace chantal {
namespace {

using json = nlohmann::json;

json section_schema(const ConfigSection& section);

json scalar_default(const ConfigKey& key) {
    const std::string text(key.default_value);
    if (key.type == ConfigKeyType::boolean) return text == "true";
    if (key.type == ConfigKeyType::integer) return std::stoll(text);
    return text;
}

json list_of(json item) { return {{"anyOf", json::array({item, {{"type", "array"}, {"items", item}}})}}; }

json type_schema(const ConfigKey& key) {
    switch (key.type) {
        case ConfigKeyType::string: return {{"type", "string"}};
        case ConfigKeyType::boolean: return {{"type", "boolean"}};
        case ConfigKeyType::integer:
            return {{"type", "integer"}, {"minimum", key.minimum}, {"maximum", key.maximum}};
        case ConfigKeyType::unsigned_integer: return {{"type", "integer"}, {"minimum", 0}};
        case ConfigKeyType::string_list: return list_of({{"type", "string"}});
        case ConfigKeyType::unsigned_list:
            return list_of({{"anyOf", json::array({{{"type", "integer"}, {"minimum", 0}},
                                                   {{"type", "string"}, {"pattern", "^[0-9]+$"}}})}});
        case ConfigKeyType::string_map:
            return {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
        case ConfigKeyType::mapping: return section_schema(*key.section);
        case ConfigKeyType::mapping_list: return {{"type", "array"}, {"items", section_schema(*key.section)}};
        case ConfigKeyType::any: return json::object();
    }
    return json::object();
}

json key_schema(const ConfigKey& key) {
    json schema = type_schema(key);
    schema["description"] = std::string(key.description);
    if (!key.allowed.empty()) {
        schema["enum"] = json::array();
        for (const auto value : key.allowed) schema["enum"].push_back(std::string(value));
    }
    if (!key.default_value.empty()) schema["default"] = scalar_default(key);
    if (key.status == ConfigKeyStatus::deprecated) {
        schema["deprecated"] = true;
        schema["description"] = "Deprecated: use " + std::string(key.replacement) + ".";
    }
    return schema;
}

json section_schema(const ConfigSection& section) {
    json properties = json::object();
    json required = json::array();
    for (const auto& key : section.keys) {
        properties[std::string(key.name)] = key_schema(key);
        if (key.required) required.push_back(std::string(key.name));
    }
    json schema = {{"type", "object"},
                   {"title", std::string(section.title)},
                   {"description", std::string(section.description)},
                   {"properties", properties},
                   {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = required;
    return schema;
}

}  // namespace

json config_json_schema() {
    json schema = section_schema(config_file_section());
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
    // The one rule the key table cannot state: a repository needs a feed
    // unless its mode is hosted, and a hosted one takes none.
    json& repository = schema["properties"]["repositories"]["items"];
    repository["if"] = {{"properties", {{"mode", {{"const", "hosted"}}}}}, {"required", json::array({"mode"})}};
    repository["then"] = {{"not", {{"required", json::array({"feed"})}}}};
    repository["else"] = {{"required", json::array({"feed"})}};
    return schema;
}

}  // namespace chantal
