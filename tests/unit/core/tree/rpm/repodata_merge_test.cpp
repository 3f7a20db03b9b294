#include "core/tree/rpm/repodata_merge.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "metadata/compression/compression.h"

using namespace chantal;

namespace {

const char* kBaseComps = R"(<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group><id>core</id><name>Core</name><packagelist><packagereq>bash</packagereq></packagelist></group>
  <category><id>system</id><name>System</name><grouplist><groupid>core</groupid></grouplist></category>
  <langpacks><match install="a-%s" name="a"/></langpacks>
</comps>)";

const char* kExtraComps = R"(<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group><id>core</id><name>Core from the second member</name></group>
  <group><id>web</id><name>Web &amp; Server</name><packagelist><packagereq type="default">nginx</packagereq></packagelist></group>
  <environment><id>server</id><name>Server</name></environment>
</comps>)";

}  // namespace

TEST(RepodataMerge, CompsGroupsAreUnitedByIdFirstMemberWins) {
    const std::string merged = merge_comps({kBaseComps, kExtraComps}, {"base comps", "extra comps"});
    EXPECT_NE(merged.find("<id>core</id><name>Core</name>"), std::string::npos) << merged;
    EXPECT_EQ(merged.find("Core from the second member"), std::string::npos) << merged;
    EXPECT_NE(merged.find("<id>web</id>"), std::string::npos) << merged;
    EXPECT_NE(merged.find("Web &amp; Server"), std::string::npos) << merged;
    EXPECT_NE(merged.find("<environment><id>server</id>"), std::string::npos) << merged;
    EXPECT_NE(merged.find("<langpacks>"), std::string::npos) << merged;
    // Groups before categories before environments, like createrepo_c's comps; deterministic.
    EXPECT_LT(merged.find("<group>"), merged.find("<category>"));
    EXPECT_EQ(merged, merge_comps({kBaseComps, kExtraComps}, {"a", "b"}));
    // Well-formed: the result is itself a readable comps document.
    EXPECT_EQ(merge_comps({merged}, {"merged"}), merged);
}

TEST(RepodataMerge, CompsWithADoctypeIsRefusedSoTheCallerFallsBack) {
    const std::string with_doctype = std::string("<?xml version=\"1.0\"?>\n<!DOCTYPE comps SYSTEM \"file:///etc/passwd\">\n") +
                                     "<comps><group><id>x</id></group></comps>";
    EXPECT_THROW(merge_comps({kBaseComps, with_doctype}, {"a", "b"}), Error);
}

TEST(RepodataMerge, CompressedCompsAreRead) {
    const std::string merged = merge_comps({metadata::gzip_compress(kBaseComps), kExtraComps}, {"gz", "plain"});
    EXPECT_NE(merged.find("<id>web</id>"), std::string::npos);
}

TEST(RepodataMerge, ModulesDocumentsAreConcatenatedWithoutDuplicates) {
    const std::string first = "---\ndocument: modulemd\nversion: 2\ndata:\n  name: nginx\n  stream: '1.24'\n...\n"
                              "---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: nginx\n  stream: '1.24'\n...\n";
    const std::string second = "---\ndocument: modulemd\nversion: 2\ndata:\n  name: nginx\n  stream: '1.24'\n...\n"
                               "---\ndocument: modulemd\nversion: 2\ndata:\n  name: php\n  stream: '8.1'\n...\n";
    const std::string merged = merge_modules({first, second});
    EXPECT_EQ(merged,
              "---\ndocument: modulemd\nversion: 2\ndata:\n  name: nginx\n  stream: '1.24'\n...\n"
              "---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: nginx\n  stream: '1.24'\n...\n"
              "---\ndocument: modulemd\nversion: 2\ndata:\n  name: php\n  stream: '8.1'\n...\n");
}
