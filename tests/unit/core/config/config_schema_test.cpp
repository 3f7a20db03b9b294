// The key tables (config_keys.h) against the loader and the JSON Schema
// made from them: every declared key is read by the loader, the defaults
// the tables state are the loader's, and the schema says what the tables say.
#include "core/config/config_schema.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <sstream>

#include "core/base/error.h"
#include "core/config/config.h"
#include "core/config/config_keys.h"
#include "support/temp_dir.h"

using namespace chantal;
using test_support::TempDir;
using test_support::write_text;

namespace {

// Places a mapping at its position in a whole config document.
using Wrap = std::function<YAML::Node(const YAML::Node& mapping)>;

// The keys a mapping of `section` needs besides the one under test.
YAML::Node required_siblings(const ConfigSection& section) {
    YAML::Node mapping(YAML::NodeType::Map);
    if (section.find("feed")) {
        mapping["id"] = "r";
        mapping["feed"] = "file:///srv/r";
    }
    if (section.find("distribution")) mapping["distribution"] = "stable";
    if (section.find("repos")) {
        mapping["name"] = "v";
        mapping["repos"].push_back("r");
    }
    return mapping;
}

// A value of the wrong type for `key`: the loader must complain about the
// value, never call the key unknown.
YAML::Node wrong_value(const ConfigKey& key) {
    if (key.type == ConfigKeyType::mapping || key.type == ConfigKeyType::mapping_list) return YAML::Node("oops");
    YAML::Node mapping(YAML::NodeType::Map);
    mapping["oops"] = 1;
    return mapping;
}

std::string load_outcome(const std::filesystem::path& file, const YAML::Node& document) {
    std::ostringstream text;
    text << document;
    write_text(file, text.str());
    try {
        const Config config = load_config(file);
        std::string warnings;
        for (const auto& warning : config.warnings) warnings += warning + "\n";
        return "loaded; warnings: " + warnings;
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input) << error.what();
        return std::string("error: ") + error.what();
    }
}

void check_every_key_is_read(const ConfigSection& section, const std::string& path, const Wrap& wrap,
                             const std::filesystem::path& file) {
    for (const auto& key : section.keys) {
        const std::string name(key.name);
        YAML::Node mapping = required_siblings(section);
        mapping[name] = wrong_value(key);
        const std::string outcome = load_outcome(file, wrap(mapping));
        SCOPED_TRACE(path + name + ": " + outcome);
        EXPECT_EQ(outcome.find("unknown key '" + name + "'"), std::string::npos);
        if (key.status == ConfigKeyStatus::accepted_unused)
            EXPECT_NE(outcome.find("." + name + "' is accepted for compatibility but has no effect"), std::string::npos);
        else
            EXPECT_EQ(outcome.rfind("error: ", 0), 0u);

        // auth: which keys are read depends on `type` (auth_config_test.cpp covers each).
        if (!key.section || name == "auth") continue;
        const bool list = key.type == ConfigKeyType::mapping_list;
        const Wrap inner = [&, name, list](const YAML::Node& child) {
            YAML::Node parent = required_siblings(section);
            if (list) parent[name].push_back(child);
            else parent[name] = child;
            if (name == "views") parent["repositories"].push_back(required_siblings(*section.find("repositories")->section));
            return wrap(parent);
        };
        check_every_key_is_read(*key.section, path + name + ".", inner, file);
    }
}

std::string default_of(const ConfigSection& section, const std::string& key) {
    const ConfigKey* found = section.find(key);
    if (!found) throw std::logic_error("no key " + key);
    return std::string(found->default_value);
}

const ConfigSection& section_at(const ConfigSection& top, std::initializer_list<const char*> path) {
    const ConfigSection* section = &top;
    for (const char* key : path) section = section->find(key)->section;
    return *section;
}

}  // namespace

TEST(ConfigSchema, EveryDeclaredKeyIsReadByTheLoader) {
    TempDir dir;
    check_every_key_is_read(config_file_section(), "", [](const YAML::Node& top) { return top; }, dir / "config.yaml");
}

TEST(ConfigSchema, TheTablesDefaultsAreTheLoadersDefaults) {
    TempDir dir;
    write_text(dir / "config.yaml", "verify: {key_files: [k.asc]}\ngpg: {generate_key: true}\n"
                                    "repositories:\n  - id: r\n    feed: file:///srv/r\n");
    const Config config = load_config(dir / "config.yaml");
    const auto& top = config_file_section();
    EXPECT_EQ(default_of(section_at(top, {"storage"}), "base_path"), config.storage.base_path.string());
    EXPECT_EQ(default_of(section_at(top, {"storage"}), "metadata_grace_period"),
              std::to_string(config.storage.metadata_grace_period));
    EXPECT_EQ(default_of(section_at(top, {"download"}), "parallel"), std::to_string(config.download.parallel));
    EXPECT_EQ(default_of(section_at(top, {"download"}), "timeout"), std::to_string(config.download.timeout_seconds));
    EXPECT_EQ(default_of(section_at(top, {"download"}), "retry_attempts"), std::to_string(config.download.retry_attempts));
    const auto& verify = section_at(top, {"verify"});
    ASSERT_TRUE(config.verify);
    EXPECT_EQ(default_of(verify, "repo_gpgcheck"), config.verify->repo_gpgcheck ? "true" : "false");
    EXPECT_EQ(default_of(verify, "gpgcheck"), config.verify->gpgcheck ? "true" : "false");
    EXPECT_EQ(default_of(verify, "on_missing_signature"), signature_problem_action_name(config.verify->on_missing_signature));
    EXPECT_EQ(default_of(verify, "on_invalid_signature"), signature_problem_action_name(config.verify->on_invalid_signature));
    const auto& gpg = section_at(top, {"gpg"});
    ASSERT_TRUE(config.signing);
    EXPECT_EQ(default_of(gpg, "public_key_name"), config.signing->public_key_name);
    EXPECT_EQ(default_of(gpg, "key_name"), config.signing->key_name);
    const RepositoryConfig& repository = config.repositories.at(0);
    const auto& repository_keys = section_at(top, {"repositories"});
    EXPECT_EQ(default_of(repository_keys, "type"), repository.type);
    EXPECT_EQ(default_of(repository_keys, "enabled"), repository.enabled ? "true" : "false");
    EXPECT_EQ(default_of(section_at(top, {"repositories", "retention"}), "policy"),
              retention_policy_name(repository.retention.policy));
}

TEST(ConfigSchema, IsDraft2020WithTheTablesKeysEnumerationsAndRanges) {
    const auto schema = config_json_schema();
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema["type"], "object");
    EXPECT_EQ(schema["additionalProperties"], false);
    for (const auto& key : config_file_section().keys) EXPECT_TRUE(schema["properties"].contains(std::string(key.name)));

    const auto& repository = schema["properties"]["repositories"]["items"];
    EXPECT_EQ(repository["required"], nlohmann::json::array({"id"}));
    EXPECT_EQ(repository["if"]["properties"]["mode"]["const"], "hosted");
    EXPECT_EQ(repository["then"]["not"]["required"], nlohmann::json::array({"feed"}));
    EXPECT_EQ(repository["else"]["required"], nlohmann::json::array({"feed"}));
    EXPECT_EQ(repository["additionalProperties"], false);
    EXPECT_EQ(repository["properties"]["retention"]["properties"]["policy"]["enum"],
              nlohmann::json::array({"mirror", "newest-only", "keep-last-n", "keep-all"}));
    EXPECT_EQ(repository["properties"]["enabled"]["default"], true);
    EXPECT_TRUE(repository["properties"]["tags"]["description"].get<std::string>().find("compatibility") != std::string::npos);
    EXPECT_EQ(repository["properties"]["include_packages"]["deprecated"], true);
    EXPECT_EQ(repository["properties"]["include_packages"]["description"], "Deprecated: use filters.patterns.include.");
    EXPECT_EQ(repository["properties"]["auth"]["required"], nlohmann::json::array({"type"}));

    const auto& parallel = schema["properties"]["download"]["properties"]["parallel"];
    EXPECT_EQ(parallel["type"], "integer");
    EXPECT_EQ(parallel["minimum"], 1);
    EXPECT_EQ(parallel["maximum"], 100);
    EXPECT_EQ(parallel["default"], 8);
    const auto& on_missing = schema["properties"]["verify"]["properties"]["on_missing_signature"];
    EXPECT_EQ(on_missing["enum"], nlohmann::json::array({"fail", "warn", "skip"}));
    EXPECT_EQ(on_missing["default"], "fail");
}

TEST(ConfigSchema, EnumerationMessagesListTheTablesValues) {
    TempDir dir;
    write_text(dir / "config.yaml", "verify: {key_files: [k.asc], on_missing_signature: wran}\n");
    try {
        load_config(dir / "config.yaml");
        FAIL() << "expected an error";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("'on_missing_signature' must be fail, warn or skip, not 'wran'; did you mean 'warn'?"),
                  std::string::npos)
            << error.what();
    }
    EXPECT_EQ(describe_alternatives({"a"}), "a");
    EXPECT_EQ(describe_alternatives({"a", "b"}), "a or b");
    EXPECT_EQ(describe_alternatives({"a", "b", "c"}), "a, b or c");
}
