// InRelease as an unverified sync reads it: clearsigned_text, then the
// Release parser on the text.
//
// Properties: it returns or throws chantal::Error, never anything else; an
// accepted message starts like a clearsigned message (looks_clearsigned)
// and its text is no longer than the message.
#include "fuzz_support.h"
#include "metadata/deb/clearsigned.h"
#include "metadata/deb/release_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chantal;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    fuzz::ignoring_invalid_input([&] {
        const std::string text = metadata::clearsigned_text(input, "InRelease");
        fuzz::require(metadata::looks_clearsigned(input), "an accepted message starts like one");
        fuzz::require(text.size() <= input.size(), "the text is part of the message");
        metadata::parse_release(text, "InRelease");
    });
    return 0;
}
