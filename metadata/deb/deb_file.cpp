#include "metadata/deb/deb_file.h"

#include <apt-pkg/debfile.h>
#include <apt-pkg/dirstream.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>

#include <memory>
#include <optional>

#include "core/base/error.h"
#include "metadata/deb/deb822.h"
#include "metadata/deb/packages_index.h"

namespace chantal::metadata {
namespace {

// libapt-pkg reports failures on its per-thread error stack: the messages,
// joined, and the stack left empty.
std::string take_apt_errors() {
    std::string messages;
    std::string message;
    while (_error->PopMessage(message)) messages.append(messages.empty() ? "" : "; ").append(message);
    return messages.empty() ? "unknown libapt-pkg error" : messages;
}

// A .deb opened with libapt-pkg (its ar members checked), or refused.
class OpenDeb {
public:
    explicit OpenDeb(const std::filesystem::path& path) : path_(path) {
        _error->Discard();
        if (!file_.Open(path.string(), FileFd::ReadOnly)) refuse("cannot open: " + take_apt_errors());
        archive_ = std::make_unique<debDebFile>(file_);
        if (_error->PendingError()) refuse("not an intact Debian package: " + take_apt_errors());
    }
    OpenDeb(const OpenDeb&) = delete;
    OpenDeb& operator=(const OpenDeb&) = delete;

    debDebFile& archive() { return *archive_; }
    // Throws Error::invalid_input naming the file.
    [[noreturn]] void refuse(const std::string& what) const { throw Error::invalid_input(path_.string() + ": " + what); }

private:
    std::filesystem::path path_;
    FileFd file_;
    std::unique_ptr<debDebFile> archive_;  // borrows file_: declared after it
};

// Every member of a tar stream read and dropped.
class DiscardingStream final : public pkgDirStream {
public:
    bool DoItem(Item&, int& fd) override {
        fd = -1;  // ExtractTar reads the member's data and writes it nowhere
        return true;
    }
    bool FinishedFile(Item&, int) override { return true; }
    bool Fail(Item&, int) override { return false; }
};

}  // namespace

void check_deb_data(const std::filesystem::path& deb_file) {
    OpenDeb deb(deb_file);
    DiscardingStream discard;
    if (!deb.archive().ExtractArchive(discard) || _error->PendingError())
        deb.refuse("damaged Debian package: its data cannot be read: " + take_apt_errors());
}

DebianPackageControl read_deb_control(const std::filesystem::path& deb_file) {
    const std::string name_for_messages = deb_file.string();
    auto fail = [&](const std::string& what) { throw Error::invalid_input(name_for_messages + ": " + what); };
    OpenDeb deb(deb_file);
    debDebFile::MemControlExtract extract("control");
    if (!extract.Read(deb.archive())) fail("cannot read its control data: " + take_apt_errors());
    if (!extract.Control || extract.Length == 0) fail("no control file in its control data");

    DebianPackageControl control;
    std::optional<std::string> stanza;
    try {
        read_deb822(std::string_view(extract.Control, extract.Length), name_for_messages + " (control)",
                    [&](const Deb822Stanza& found) {
                        if (stanza) throw Error::invalid_input("more than one stanza");
                        stanza.emplace(found.text);
                        auto required = [&](std::string_view field) {
                            const auto value = found.find(field);
                            if (!value || value->empty())
                                throw Error::invalid_input("no " + std::string(field) + " field in its control file");
                            return std::string(*value);
                        };
                        control.name = required("Package");
                        control.version_text = required("Version");
                        control.architecture = required("Architecture");
                        const auto source = found.find("Source");
                        control.source = source ? std::string(source_package_name(*source)) : control.name;
                        for (const char* index_field : {"Filename", "Size", "SHA256"})
                            if (found.find(index_field))
                                throw Error::invalid_input(std::string("its control file has an index field (") +
                                                           index_field + ")");
                    });
    } catch (const Error& error) {
        fail(error.what());
    }
    if (!stanza) fail("empty control file");
    std::string problem;
    auto version = parse_debian_version(control.version_text, &problem);
    if (!version) fail("bad Version '" + control.version_text + "': " + problem);
    control.version = std::move(*version);
    control.stanza = std::move(*stanza);
    return control;
}

std::string packages_stanza(const DebianPackageControl& control, std::string_view filename, std::uint64_t size,
                            std::string_view sha256) {
    std::string stanza = control.stanza;
    stanza.append("Filename: ").append(filename).push_back('\n');
    stanza.append("Size: ").append(std::to_string(size)).push_back('\n');
    stanza.append("SHA256: ").append(sha256).push_back('\n');
    return stanza;
}

}  // namespace chantal::metadata
