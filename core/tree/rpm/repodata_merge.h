// Merging comps (groups) and modules of several repositories into one file
// for a view's generated repodata: dnf then sees every member's
// groups and module streams. Deterministic: the result depends only on the
// inputs and their order.
#pragma once

#include <string>
#include <vector>

namespace chantal {

// Unites comps documents: <group>, <category> and <environment> elements by
// their <id> (the first document in the list wins an id), <langpacks> from
// the first document that has them. Returns the merged comps.xml. Throws
// chantal::Error (invalid_input) when a document cannot be read; callers fall
// back to passing the first member's file through.
std::string merge_comps(const std::vector<std::string>& documents, const std::vector<std::string>& names);

// Concatenates the YAML documents (modulemd, modulemd-defaults, ...) of
// several modules.yaml files, dropping exact duplicates, each framed with
// "---" and "...".
std::string merge_modules(const std::vector<std::string>& documents);

}  // namespace chantal
