// filelists.xml; see package_list_fuzz.h.
// fuzz-dictionary: xml.dict

#include "metadata/rpm/filelists.h"
#include "package_list_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    chantal::fuzz::fuzz_package_list(data, size, chantal::metadata::kFilelistsFormat);
    return 0;
}
