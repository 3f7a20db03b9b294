// The text of an OpenPGP clearsigned message (RFC 4880 §7), as APT's
// InRelease is: what a reader uses when the signature is not checked
// (verify: off). When it is checked, the text GPGME returns is used instead
// (core/signing/trusted_keys.h). Pure function, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chantal::metadata {

// The signed text: the lines between the armor headers and the signature
// block, dash-escaping ("- ") undone, each ending in '\n'. Error::corrupt
// naming `source_name` for anything else: text before the
// "-----BEGIN PGP SIGNED MESSAGE-----" line or after the signature's END
// line (apt refuses both: text outside the signature), a missing signature
// block, a second message. CRLF line ends are read as LF.
std::string clearsigned_text(std::string_view message, const std::string& source_name);

// True when the data starts like a clearsigned message (after blank lines).
bool looks_clearsigned(std::string_view data);

}  // namespace chantal::metadata
