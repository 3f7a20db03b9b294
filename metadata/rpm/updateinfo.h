// updateinfo.xml: advisories (errata). The reader gives parsed fields plus
// each <update> element verbatim (fragment without namespaces: updateinfo
// has none); the writer emits a set of stored advisories with their package
// lists pruned to the packages of a tree, dropping advisories that lose all
// their packages. Deterministic: output depends only on the input sequence.
//
// Not thread-safe; one reader/writer per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"

namespace chantal::metadata {

struct AdvisoryReference {
    std::string href;
    std::string id;     // "CVE-2024-1234" for type="cve"
    std::string type;   // "cve", "bugzilla", "self", ...
    std::string title;
    bool is_cve() const;  // type "cve", or an id that looks like CVE-YYYY-NNNN
};

struct AdvisoryPackage {
    std::string name;
    std::uint64_t epoch = 0;
    std::string version;
    std::string release;
    std::string arch;
    std::string src;
    std::string filename;
    std::string sum_type;  // "" when no <sum>
    std::string sum;
};

struct AdvisoryCollection {
    std::string short_name;  // <collection short="...">
    std::string name;        // <name>
    std::vector<AdvisoryPackage> packages;
};

struct Advisory {
    std::string id;
    std::string type;      // security, bugfix, enhancement, newpackage
    std::string status;    // stable, final, ...
    std::string from;
    std::string version;
    std::string severity;  // "" when absent
    std::string issued;    // <issued date="...">, as written
    std::string updated;   // <updated date="...">, "" when absent
    std::string title;
    std::string summary;
    std::string description;
    std::string rights;
    std::string solution;
    std::string release;
    std::vector<AdvisoryReference> references;
    std::vector<AdvisoryCollection> collections;
    std::string xml;  // the whole <update> element
    int line = 0;
};

// Calls on_advisory for each <update>; the Advisory is reused between calls
// (valid during the call; fields may be moved out). <id> is required.
std::uint64_t read_updateinfo(DecompressingReader& input, const std::function<void(Advisory&)>& on_advisory);

// Decides whether a package of an advisory's list is in the tree.
using AdvisoryPackageFilter = std::function<bool(const AdvisoryPackage&)>;

// Writes <updates>...</updates>, one stored <update> element at a time.
class UpdateinfoWriter {
public:
    explicit UpdateinfoWriter(ByteSink& output);
    // Writes the advisory with only the <package> entries `keep` accepts
    // (collections left empty are dropped). Returns false, writing nothing,
    // when no package is left.
    bool add(std::string_view update_xml, const AdvisoryPackageFilter& keep);
    void finish();
    std::uint64_t written() const noexcept { return written_; }

private:
    ByteSink& output_;
    std::uint64_t written_ = 0;
    std::string buffer_;
};

}  // namespace chantal::metadata
