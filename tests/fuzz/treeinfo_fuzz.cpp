// .treeinfo as sync reads it (core/sync/rpm/installer_tree.cpp: parse_treeinfo
// on the fetched bytes). What it accepts must keep the promises the tree
// relies on: every listed path is a clean relative path, every checksum 64
// lowercase hex digits.
// fuzz-dictionary: treeinfo.dict

#include "core/base/relative_path.h"
#include "fuzz_support.h"
#include "metadata/rpm/href.h"
#include "metadata/rpm/treeinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    fuzz::ignoring_invalid_input([&] {
        const metadata::Treeinfo treeinfo = metadata::parse_treeinfo(fuzz::as_text(data, size), "fuzz: .treeinfo");
        for (const auto& file : treeinfo.files) {
            fuzz::require(is_clean_relative_path(file.path), "a listed path is a clean tree path");
            fuzz::require(file.path != ".treeinfo", ".treeinfo does not list itself");
            fuzz::require(file.sha256.size() == 64 &&
                              file.sha256.find_first_not_of("0123456789abcdef") == std::string::npos,
                          "a checksum is 64 lowercase hex digits");
        }
        (void)metadata::fits_generated_layout(treeinfo);
    });
    return 0;
}
