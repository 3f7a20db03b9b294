// other.xml; see package_list_fuzz.h.
// fuzz-dictionary: xml.dict

#include "metadata/rpm/other.h"
#include "package_list_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    chantal::fuzz::fuzz_package_list(data, size, chantal::metadata::kOtherFormat);
    return 0;
}
