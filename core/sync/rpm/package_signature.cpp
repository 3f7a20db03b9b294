#include "core/sync/rpm/package_signature.h"

#include <fcntl.h>
#include <rpm/header.h>
#include <rpm/rpmcli.h>
#include <rpm/rpmio.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/base/unique_fd.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;
using Outcome = PackageSignatureCheck::Outcome;

template <typename Handle, auto Free>
struct HandleFree {
    void operator()(Handle handle) const noexcept { Free(handle); }
};
template <typename Handle, auto Free>
using Owned = std::unique_ptr<std::remove_pointer_t<Handle>, HandleFree<Handle, Free>>;

using TsPtr = Owned<rpmts, rpmtsFree>;
using FdPtr = Owned<FD_t, Fclose>;
using HeaderPtr = Owned<Header, headerFree>;
using KeyringPtr = Owned<rpmKeyring, rpmKeyringFree>;
using PubkeyPtr = Owned<rpmPubkey, rpmPubkeyFree>;
using DigParamsPtr = Owned<pgpDigParams, pgpDigParamsFree>;

void free_tag_data(rpmtd td) noexcept {
    rpmtdFreeData(td);
    rpmtdFree(td);
}
using TagDataPtr = Owned<rpmtd, free_tag_data>;

// librpm reports through rpmlog, a process-wide facility. One callback keeps
// the calling thread's last warning or error (librpm logs on the thread that
// did the work) and prints nothing. rpmlog also keeps a copy of every warning
// for rpmlogMessage(), which nothing here reads: the copies are dropped so
// that a long sync's rejected packages do not pile up in memory.
thread_local std::string last_rpm_message;

int keep_rpm_message(rpmlogRec record, rpmlogCallbackData) {
    if (rpmlogRecPriority(record) <= RPMLOG_WARNING) {
        const char* text = rpmlogRecMessage(record);
        std::string message = text ? text : "";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        last_rpm_message = std::move(message);
        rpmlogClose();
    }
    return 0;
}

void initialise_librpm() {
    static std::once_flag once;
    std::call_once(once, [] {
        rpmlogSetCallback(keep_rpm_message, nullptr);
        // Reads the host's rpmrc and macros (and initialises librpm's crypto);
        // every verification setting they could change is set per transaction
        // set in new_transaction_set().
        if (rpmReadConfigFiles(nullptr, nullptr) != 0)
            throw Error::internal("librpm cannot read its configuration: " + last_rpm_message);
    });
}

// One OpenPGP certificate (primary key and its signing subkeys) into `ring`.
void add_certificate(rpmKeyring ring, const std::uint8_t* bytes, std::size_t size, const std::string& what) {
    PubkeyPtr key(rpmPubkeyNew(bytes, size));
    if (!key) throw Error::invalid_input(what + ": librpm cannot read it as an OpenPGP public key");
    if (rpmKeyringAddKey(ring, key.get()) < 0) throw Error::invalid_input(what + ": librpm cannot add it to a keyring");
    int count = 0;
    rpmPubkey* subkeys = rpmGetSubkeys(key.get(), &count);
    std::vector<PubkeyPtr> owned;
    for (int i = 0; i < count; ++i) owned.emplace_back(subkeys[i]);
    std::free(subkeys);
    for (const PubkeyPtr& subkey : owned) {
        if (rpmKeyringAddKey(ring, subkey.get()) < 0)
            throw Error::invalid_input(what + ": librpm cannot add a subkey to a keyring");
    }
}

// Several certificates exported together are added one by one: librpm reads
// only one per rpmPubkeyNew.
void add_key(rpmKeyring ring, const std::string& packets, const std::string& what) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(packets.data());
    std::size_t left = packets.size();
    if (left == 0) throw Error::invalid_input(what + ": empty");
    while (left > 0) {
        std::size_t length = 0;
        if (pgpPubKeyCertLen(bytes, left, &length) != 0 || length == 0 || length > left)
            throw Error::invalid_input(what + ": librpm cannot read it as OpenPGP public key packets");
        add_certificate(ring, bytes, length, what);
        bytes += length;
        left -= length;
    }
}

// A transaction set that verifies with `ring` only: its own keyring keeps
// librpm from loading the rpm database's, and the flags and level the host's
// macros may have loosened (%_pkgverify_flags, %_pkgverify_level) are set
// here. `verify` false: read the headers without checking anything.
// `skipped`: checks left out on purpose (see whole_package_verifies).
TsPtr new_transaction_set(rpmKeyring ring, bool verify, rpmVSFlags skipped = RPMVSF_DEFAULT,
                          int level = RPMSIG_DIGEST_TYPE | RPMSIG_SIGNATURE_TYPE) {
    TsPtr ts(rpmtsCreate());
    if (!ts) throw Error::internal("librpm cannot create a transaction set");
    if (rpmtsSetKeyring(ts.get(), ring) != 0) throw Error::internal("librpm refuses our keyring");
    const rpmVSFlags flags = verify ? skipped : (RPMVSF_MASK_NODIGESTS | RPMVSF_MASK_NOSIGNATURES);
    rpmtsSetVSFlags(ts.get(), flags);
    rpmtsSetVfyFlags(ts.get(), flags);
    rpmtsSetVfyLevel(ts.get(), verify ? level : RPMSIG_NONE_TYPE);
    return ts;
}

// A librpm handle over the package, read from its first byte.
FdPtr rewound(const UniqueFd& file, const fs::path& path) {
    if (::lseek(file.get(), 0, SEEK_SET) != 0) throw Error::io("cannot read package file " + path.string(), errno);
    errno = 0;
    FdPtr fd(fdDup(file.get()));
    if (!fd || Ferror(fd.get())) throw Error::io("cannot read package file " + path.string(), errno ? errno : EIO);
    return fd;
}

// librpm starts its messages with the name it was given or the file's path.
std::string without_file_name(std::string message, const fs::path& path) {
    const std::string name = path.filename().string();
    const std::size_t colon = message.find(": ");
    if (colon != std::string::npos && colon >= name.size() &&
        message.compare(colon - name.size(), name.size(), name) == 0)
        message.erase(0, colon + 2);
    return message;
}

struct Reading {
    rpmRC rc = RPMRC_FAIL;
    HeaderPtr header;
    std::string message;  // librpm's last warning or error, without the file name
    off_t payload_offset = -1;  // where librpm stopped reading: the payload's first byte
};

Reading read_package(const UniqueFd& file, const fs::path& path, rpmKeyring ring, bool verify) {
    TsPtr ts = new_transaction_set(ring, verify);
    FdPtr fd = rewound(file, path);
    const std::string name = path.filename().string();
    last_rpm_message.clear();
    Header header = nullptr;
    Reading reading;
    reading.rc = rpmReadPackageFile(ts.get(), fd.get(), name.c_str(), &header);
    reading.header.reset(header);
    reading.payload_offset = ::lseek(file.get(), 0, SEEK_CUR);  // the dup shares our file offset
    reading.message = without_file_name(std::move(last_rpm_message), path);
    return reading;
}

// True when the header holds a SHA-256 (or better) digest of the payload and
// a header-only signature: the signature then covers the payload through
// that digest, and the legacy header+payload MD5 and signatures add nothing
// but a second and third pass over the payload.
bool payload_signed_through_header(Header header) {
    return headerIsEntry(header, RPMTAG_PAYLOADDIGEST) &&
           (headerIsEntry(header, RPMTAG_RSAHEADER) || headerIsEntry(header, RPMTAG_DSAHEADER));
}

// The SHA-2 algorithm of a header's payload digest (RPMTAG_PAYLOADDIGESTALGO,
// an OpenPGP hash algorithm number), nullopt for any other.
std::optional<HashAlgorithm> payload_digest_algorithm(Header header) {
    switch (headerGetNumber(header, RPMTAG_PAYLOADDIGESTALGO)) {
        case PGPHASHALGO_SHA256: return HashAlgorithm::sha256;
        case PGPHASHALGO_SHA384: return HashAlgorithm::sha384;
        case PGPHASHALGO_SHA512: return HashAlgorithm::sha512;
        default: return std::nullopt;
    }
}

// The payload checked against the digest the verified header carries, with
// OpenSSL (librpm's libgcrypt digests run at a fifth of its speed here):
// the bytes from where rpmReadPackageFile stopped to the end of the file.
// nullopt when this way does not apply (no SHA-2 payload digest, offset
// unknown); then whole_package_verifies decides.
std::optional<bool> payload_matches_header(const UniqueFd& file, const fs::path& path, Header header,
                                           off_t payload_offset) {
    const auto algorithm = payload_digest_algorithm(header);
    const char* expected = headerGetString(header, RPMTAG_PAYLOADDIGEST);
    if (!algorithm || !expected || payload_offset <= 0) return std::nullopt;
    Hasher hasher(*algorithm);
    std::vector<char> buffer(1 << 17);
    for (off_t at = payload_offset;;) {
        const ssize_t got = ::pread(file.get(), buffer.data(), buffer.size(), at);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw Error::io("cannot read package file " + path.string(), errno);
        }
        if (got == 0) break;
        hasher.update(buffer.data(), static_cast<std::size_t>(got));
        at += got;
    }
    return hasher.hex_digest() == expected;
}

// The whole file as `rpmkeys --checksig` checks it: header and payload
// digests and the signatures, with the payload read (rpmReadPackageFile
// reads only the headers). With `payload_digest_signed`
// (payload_signed_through_header), the legacy header+payload items are
// skipped: one pass over the payload instead of three.
bool whole_package_verifies(const UniqueFd& file, const fs::path& path, rpmKeyring ring, bool payload_digest_signed,
                            std::string* message) {
    TsPtr ts = new_transaction_set(ring, true,
                                   payload_digest_signed ? (RPMVSF_NOMD5 | RPMVSF_NODSA | RPMVSF_NORSA) : RPMVSF_DEFAULT);
    FdPtr fd = rewound(file, path);
    const std::string name = path.filename().string();
    struct rpmQVKArguments_s arguments = {};
    last_rpm_message.clear();
    const int failures = rpmVerifySignatures(&arguments, ts.get(), fd.get(), name.c_str());
    *message = without_file_name(std::move(last_rpm_message), path);
    return failures == 0;
}

// rpmReadPackageFile returns OK for a package whose signatures it skipped:
// one whose hash algorithm librpm cannot compute is treated as absent, and
// the verification level does not make it insist on a signature. So its OK
// with the trusted keys says "verified" only when the same headers, read
// with `empty_ring`, end in NOKEY: librpm did check a signature, and needed
// a key for it. Reads the headers only.
bool librpm_checks_a_signature(const UniqueFd& file, const fs::path& path, rpmKeyring empty_ring) {
    return read_package(file, path, empty_ring, true).rc == RPMRC_NOKEY;
}

// The key id of the package's OpenPGP signature (header-only signatures
// first, then the legacy header+payload ones), or nothing when unsigned.
std::optional<std::string> signature_key_id(Header header) {
    for (rpmTagVal tag : {RPMTAG_RSAHEADER, RPMTAG_DSAHEADER, RPMTAG_SIGPGP, RPMTAG_SIGGPG}) {
        TagDataPtr td(rpmtdNew());
        if (!headerGet(header, tag, td.get(), HEADERGET_DEFAULT)) continue;
        pgpDigParams raw = nullptr;
        const auto* bytes = static_cast<const std::uint8_t*>(td->data);
        if (td->type != RPM_BIN_TYPE || pgpPrtParams(bytes, td->count, PGPTAG_SIGNATURE, &raw) != 0) {
            pgpDigParamsFree(raw);
            return std::string();  // signed, but not readably
        }
        DigParamsPtr params(raw);
        static constexpr char digits[] = "0123456789abcdef";
        const std::uint8_t* id = pgpDigParamsSignID(params.get());
        std::string hex;
        for (int i = 0; i < 8; ++i) {
            hex += digits[id[i] >> 4];
            hex += digits[id[i] & 0xf];
        }
        return hex;
    }
    return std::nullopt;
}

std::string key_name(const std::string& key_id) { return key_id.empty() ? "an unreadable key" : "key " + key_id; }

PackageSignatureCheck result(Outcome outcome, std::string key_id, std::string reason) {
    PackageSignatureCheck check;
    check.outcome = outcome;
    check.signer_key_id = std::move(key_id);
    check.reason = std::move(reason);
    return check;
}

std::string with_detail(std::string reason, const std::string& detail) {
    if (!detail.empty()) reason += " (" + detail + ")";
    return reason;
}

// The headers could not be verified: damaged beyond reading, unsigned, or
// a digest or signature that does not match.
PackageSignatureCheck classify_failure(const UniqueFd& file, const fs::path& path, rpmKeyring ring,
                                       const std::string& message) {
    Reading unverified = read_package(file, path, ring, false);
    if (unverified.rc != RPMRC_OK || !unverified.header)
        return result(Outcome::unreadable, {}, with_detail("damaged RPM package", message));
    std::optional<std::string> key_id = signature_key_id(unverified.header.get());
    if (!key_id) return result(Outcome::unsigned_, {}, "not signed");
    return result(Outcome::bad, *key_id,
                  with_detail("signed by " + key_name(*key_id) + ", but the signature or a digest does not match",
                              message));
}

}  // namespace

struct RpmSignatureChecker::Keyring {
    KeyringPtr ring;   // the trusted keys
    KeyringPtr empty;  // no key at all (librpm_checks_a_signature)
};

RpmSignatureChecker::RpmSignatureChecker(const std::vector<std::string>& public_keys)
    : keyring_(std::make_unique<Keyring>()) {
    initialise_librpm();
    keyring_->ring.reset(rpmKeyringNew());
    keyring_->empty.reset(rpmKeyringNew());
    if (!keyring_->ring || !keyring_->empty) throw Error::internal("librpm cannot create a keyring");
    for (std::size_t i = 0; i < public_keys.size(); ++i)
        add_key(keyring_->ring.get(), public_keys[i], "public key " + std::to_string(i + 1));
}

RpmSignatureChecker::~RpmSignatureChecker() = default;

PackageSignatureCheck RpmSignatureChecker::check(const std::filesystem::path& package_file) const {
    UniqueFd file(::open(package_file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) throw Error::io("cannot open package file " + package_file.string(), errno);
    rpmKeyring ring = keyring_->ring.get();

    Reading reading = read_package(file, package_file, ring, true);
    switch (reading.rc) {
    case RPMRC_NOTFOUND:
        return result(Outcome::unreadable, {}, "not an RPM package");
    case RPMRC_FAIL:
        return classify_failure(file, package_file, ring, reading.message);
    case RPMRC_NOKEY:
    case RPMRC_NOTTRUSTED: {
        std::string key_id = reading.header ? signature_key_id(reading.header.get()).value_or("") : "";
        return result(Outcome::unknown_key, key_id, "signed by " + key_name(key_id) + ", which is not trusted");
    }
    case RPMRC_OK:
        break;
    }
    if (!reading.header) return result(Outcome::unreadable, {}, with_detail("damaged RPM package", reading.message));
    std::optional<std::string> key_id = signature_key_id(reading.header.get());
    if (!key_id) return result(Outcome::unsigned_, {}, "not signed");
    if (!librpm_checks_a_signature(file, package_file, keyring_->empty.get()))
        return result(Outcome::bad, *key_id,
                      "signed by " + key_name(*key_id) +
                          ", but librpm cannot check that signature (an unsupported algorithm, or damaged)");
    std::string message;
    const bool payload_digest_signed = payload_signed_through_header(reading.header.get());
    if (payload_digest_signed) {
        if (const auto matches = payload_matches_header(file, package_file, reading.header.get(), reading.payload_offset)) {
            if (!*matches)
                return result(Outcome::bad, *key_id,
                              "signed by " + key_name(*key_id) + ", but the payload does not match its signed digest");
            return result(Outcome::valid, *key_id, "signed by " + key_name(*key_id));
        }
    }
    if (!whole_package_verifies(file, package_file, ring, payload_digest_signed, &message))
        return result(Outcome::bad, *key_id,
                      with_detail("signed by " + key_name(*key_id) + ", but the payload does not match", message));
    return result(Outcome::valid, *key_id, "signed by " + key_name(*key_id));
}

std::optional<std::string> rpm_package_damage(const std::filesystem::path& package_file) {
    initialise_librpm();
    UniqueFd file(::open(package_file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) throw Error::io("cannot open package file " + package_file.string(), errno);
    const KeyringPtr ring(rpmKeyringNew());
    if (!ring) throw Error::internal("librpm cannot create a keyring");
    Reading reading = read_package(file, package_file, ring.get(), false);
    if (reading.rc == RPMRC_NOTFOUND) return "not an RPM package";
    if (reading.rc != RPMRC_OK || !reading.header) return with_detail("damaged RPM package", reading.message);
    TsPtr ts = new_transaction_set(ring.get(), true, RPMVSF_MASK_NOSIGNATURES, RPMSIG_DIGEST_TYPE);
    FdPtr fd = rewound(file, package_file);
    const std::string name = package_file.filename().string();
    struct rpmQVKArguments_s arguments = {};
    last_rpm_message.clear();
    if (rpmVerifySignatures(&arguments, ts.get(), fd.get(), name.c_str()) != 0)
        return with_detail("damaged RPM package: a digest does not match",
                           without_file_name(std::move(last_rpm_message), package_file));
    return std::nullopt;
}

}  // namespace chantal
